"""The letters' sender identity per country (issue 10), as development data: the legal entity that
collects there, its contact channels, its collection licence, and the account the debtor pays to
(domestic, and IBAN/BIC for payers abroad). autocollect.settings uses it in dev mode only."""

# Licences (domain-rules.md section 7, "Supervisor of collectors"): SE a collection licence from
# Finansinspektionen (since 2024-01-01; IMY before, SE-A4/SE-A5), NO an inkassobevilling
# supervised by Finanstilsynet (NO-S1), FI registration with Etelä-Suomen aluehallintovirasto
# (FI-A6).
# Development values only: valid check digits, no real company or account.
DEMO_SENDER = {
    "SE": {
        "name": "AutoCollect Sverige AB",
        "org_number": "559312-4703",
        "address": ("Box 1234", "111 22 Stockholm"),
        "phone": "08-520 277 00",
        "email": "kundservice@autocollect.se",
        "web": "autocollect.se",
        "licence": "Finansinspektionen",
        "payment": {"label": "Bankgiro", "account": "5050-1055",
                    "iban": "SE45 5000 0000 0583 9825 7466", "bic": "ESSESESS"},
    },
    "NO": {
        "name": "AutoCollect Norge AS",
        "org_number": "927 145 286",
        "address": ("Postboks 1234 Vika", "0110 Oslo"),
        "phone": "22 40 50 60",
        "email": "kundeservice@autocollect.no",
        "web": "autocollect.no",
        "licence": "Finanstilsynet",
        "payment": {"label": "Kontonummer", "account": "8601 11 17947",
                    "iban": "NO93 8601 1117 947", "bic": "DNBANOKK"},
    },
    "FI": {
        "name": "AutoCollect Suomi Oy",
        "org_number": "3219874-4",
        "address": ("PL 1234", "00101 Helsinki"),
        "phone": "09 4241 5000",
        "email": "asiakaspalvelu@autocollect.fi",
        "web": "autocollect.fi",
        "licence": "Etelä-Suomen aluehallintovirasto",
        "payment": {"label": "IBAN", "account": "FI21 1234 5600 0007 85",
                    "iban": "FI21 1234 5600 0007 85", "bic": "NDEAFIHH"},
    },
}  # fmt: skip
