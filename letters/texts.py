"""Every word a debtor letter prints outside its templates' paragraphs, per language (sv, nb, fi,
en): titles, labels, the ledger lines' names, the legal basis of each fee and of the interest,
and the licence line. Legal sources: /work/shared/domain-rules.md (ids such as SE-L1 there).

A letter is written in one language but always under one country's law, so the legal basis names
that country's statute in the letter's language."""

from __future__ import annotations

LANGUAGES = ("sv", "nb", "fi", "en")

TITLES = {
    "sv": {"reminder": "Betalningspåminnelse", "notice": "Inkassovarsel", "demand": "Inkassokrav",
           "demand_2": "Andra betalningskravet",
           "enforcement_notice": "Underrättelse före ansökan hos Kronofogden"},
    "nb": {"reminder": "Purring", "notice": "Inkassovarsel", "demand": "Betalingsoppfordring",
           "demand_2": "Andre betalingskrav",
           "enforcement_notice": "Varsel om rettslig inndriving"},
    "fi": {"reminder": "Maksumuistutus", "notice": "Perintävaroitus", "demand": "Maksuvaatimus",
           "demand_2": "Toinen maksuvaatimus",
           "enforcement_notice": "Ilmoitus oikeudellisesta perinnästä"},
    "en": {"reminder": "Payment reminder", "notice": "Debt collection notice",
           "demand": "Debt collection demand", "demand_2": "Second debt collection demand",
           "enforcement_notice": "Notice before legal action"},
}  # fmt: skip
# The same stage under another country's law has its own name in some languages.
TITLE_BY_COUNTRY = {
    ("sv", "FI", "demand"): "Betalningskrav",
    ("nb", "SE", "demand"): "Inkassokrav",
    ("nb", "FI", "demand"): "Betalingskrav",
    ("en", "NO", "demand"): "Demand for payment",
}

LABELS = {
    "sv": {"date": "Datum", "case_number": "Ärendenummer", "creditor": "Borgenär",
           "sender": "Avsändare", "org_number": "Org.nr", "phone": "Telefon", "email": "E-post",
           "web": "Webb", "invoices": "Kravet avser", "invoice_number": "Faktura",
           "invoice_date": "Fakturadatum", "due_date": "Förfallodag",
           "invoice_amount": "Fakturabelopp", "outstanding": "Obetalt",
           "specification": "Specifikation", "amount": "Belopp", "total": "Att betala",
           "payment": "Betalningsinformation", "pay_to": "Betalningsmottagare",
           "pay_by": "Betala senast",
           "reference_note": "Ange alltid {label} {reference} vid betalning.",
           "page": "Sida", "of": "av", "return_address": "Avs.",
           "message": "Meddelande från borgenären", "abroad": "Betalning från utlandet",
           "barcode": "Virtuell streckkod", "basis": "Grund",
           "licence": {"SE": "Inkassotillstånd", "NO": "Inkassobevilling",
                       "FI": "Registrerad indrivare"}},
    "nb": {"date": "Dato", "case_number": "Saksnummer", "creditor": "Fordringshaver",
           "sender": "Avsender", "org_number": "Org.nr.", "phone": "Telefon", "email": "E-post",
           "web": "Nett", "invoices": "Kravet gjelder", "invoice_number": "Faktura",
           "invoice_date": "Fakturadato", "due_date": "Forfallsdato",
           "invoice_amount": "Fakturabeløp", "outstanding": "Utestående",
           "specification": "Spesifikasjon", "amount": "Beløp", "total": "Å betale",
           "payment": "Betalingsinformasjon", "pay_to": "Betalingsmottaker",
           "pay_by": "Betales innen",
           "reference_note": "Oppgi alltid {label} {reference} ved betaling.",
           "page": "Side", "of": "av", "return_address": "Avs.",
           "message": "Melding fra fordringshaver", "abroad": "Betaling fra utlandet",
           "barcode": "Virtuell strekkode", "basis": "Hjemmel",
           "licence": {"SE": "Inkassotillatelse", "NO": "Inkassobevilling",
                       "FI": "Registrert inkassoforetak"}},
    "fi": {"date": "Päiväys", "case_number": "Asianumero", "creditor": "Velkoja",
           "sender": "Lähettäjä", "org_number": "Y-tunnus", "phone": "Puhelin",
           "email": "Sähköposti", "web": "Verkko", "invoices": "Saatava koskee",
           "invoice_number": "Lasku", "invoice_date": "Laskun päiväys", "due_date": "Eräpäivä",
           "invoice_amount": "Laskun summa", "outstanding": "Avoinna",
           "specification": "Erittely", "amount": "Määrä", "total": "Maksettava yhteensä",
           "payment": "Maksutiedot", "pay_to": "Saaja", "pay_by": "Eräpäivä",
           "reference_note": "Käytä maksaessasi aina viitettä {reference}.",
           "page": "Sivu", "of": "/", "return_address": "Läh.", "message": "Velkojan viesti",
           "abroad": "Maksu ulkomailta", "barcode": "Virtuaaliviivakoodi", "basis": "Peruste",
           "licence": {"SE": "Perintälupa", "NO": "Perintälupa",
                       "FI": "Rekisteröity perintätoimisto"}},
    "en": {"date": "Date", "case_number": "Case number", "creditor": "Creditor",
           "sender": "Sender", "org_number": "Reg. no.", "phone": "Phone", "email": "Email",
           "web": "Web", "invoices": "The claim concerns", "invoice_number": "Invoice",
           "invoice_date": "Invoice date", "due_date": "Due date",
           "invoice_amount": "Invoice amount", "outstanding": "Unpaid",
           "specification": "Specification", "amount": "Amount", "total": "Amount to pay",
           "payment": "Payment details", "pay_to": "Payee", "pay_by": "Pay by",
           "reference_note": "Always quote {label} {reference} when you pay.",
           "page": "Page", "of": "of", "return_address": "From",
           "message": "Message from the creditor", "abroad": "Paying from abroad",
           "barcode": "Virtual barcode", "basis": "Legal basis",
           "licence": {"SE": "Debt collection licence", "NO": "Debt collection licence",
                       "FI": "Registered debt collector"}},
}  # fmt: skip

# Ledger lines; a fee is named by its ledger key "fee:<stage>".
LINES = {
    "sv": {"capital": "Kapital faktura {}", "paid_before": "Betalt före ärendet, faktura {}",
           "payment": "Inbetalning {}", "credit": "Kreditering {}", "write_off": "Avskrivet {}",
           "fee:reminder": "Påminnelseavgift", "fee:notice": "Inkassovarselavgift",
           "fee:demand": "Inkassokostnad", "fee:demand_2": "Kostnad för andra betalningskravet",
           "fee:b2b_compensation": "Förseningsersättning"},
    "nb": {"capital": "Hovedstol faktura {}", "paid_before": "Betalt før saken, faktura {}",
           "payment": "Innbetalt {}", "credit": "Kreditert {}", "write_off": "Avskrevet {}",
           "fee:reminder": "Purregebyr", "fee:notice": "Inkassovarselgebyr",
           "fee:demand": "Gebyr betalingsoppfordring", "fee:demand_2": "Gebyr andre betalingskrav",
           "fee:b2b_compensation": "Kompensasjon for forsinket betaling"},
    "fi": {"capital": "Pääoma, lasku {}", "paid_before": "Maksettu ennen perintää, lasku {}",
           "payment": "Maksu {}", "credit": "Hyvitys {}", "write_off": "Poistettu {}",
           "fee:reminder": "Muistutusmaksu", "fee:notice": "Perintävaroituksen maksu",
           "fee:demand": "Perintäkulut, maksuvaatimus",
           "fee:demand_2": "Perintäkulut, toinen maksuvaatimus",
           "fee:b2b_compensation": "Vakiokorvaus"},
    "en": {"capital": "Principal, invoice {}", "paid_before": "Paid before collection, invoice {}",
           "payment": "Payment received {}", "credit": "Credited {}", "write_off": "Written off {}",
           "fee:reminder": "Reminder fee", "fee:notice": "Collection notice fee",
           "fee:demand": "Collection fee", "fee:demand_2": "Second collection fee",
           "fee:b2b_compensation": "Late-payment compensation"},
}  # fmt: skip

# The statute each fee and the interest rests on (domain-rules.md sections 2 and 3), by country,
# then fee key ("interest:consumer"/"interest:business" for the late-payment interest).
_SE_COSTS = {
    "sv": "4 § lag (1981:739) om ersättning för inkassokostnader m.m.",
    "nb": "§ 4 svensk lov (1981:739) om erstatning for inkassokostnader",
    "fi": "Ruotsin laki perintäkulujen korvaamisesta (1981:739) 4 §",
    "en": "Swedish Debt Collection Costs Act (1981:739), s. 4",
}
_SE_INTEREST = {
    "sv": "6 § räntelagen (1975:635): referensräntan + 8 procentenheter",
    "nb": "§ 6 svensk rentelov (1975:635): referanserenten + 8 prosentpoeng",
    "fi": "Ruotsin korkolaki (1975:635) 6 §: viitekorko + 8 prosenttiyksikköä",
    "en": "Swedish Interest Act (1975:635), s. 6: reference rate + 8 percentage points",
}
_NO_FEE = {
    "sv": "norska inkassoforskriften § 1-2 {}: {} av inkassosatsen",
    "nb": "inkassoforskriften § 1-2 {}: {} av inkassosatsen",
    "fi": "Norjan perintäasetus (inkassoforskriften) 1-2 § {}: {} perintämaksuperusteesta",
    "en": "Norwegian Debt Collection Regulations, s. 1-2 {}: {} of the collection rate",
}
_NO_PARAGRAPH = {
    "sv": ("första stycket", "andra stycket", "tredje stycket"),
    "nb": ("første ledd", "annet ledd", "tredje ledd"),
    "fi": ("1 mom.", "2 mom.", "3 mom."),
    "en": ("(1)", "(2)", "(3)"),
}
_NO_INTEREST = {
    "sv": "norska forsinkelsesrenteloven § 3: Norges Banks styrränta + 8 procentenheter",
    "nb": "forsinkelsesrenteloven § 3: Norges Banks styringsrente + 8 prosentpoeng",
    "fi": "Norjan viivästyskorkolaki § 3: Norges Bankin ohjauskorko + 8 prosenttiyksikköä",
    "en": "Norwegian Late Payment Interest Act, s. 3: Norges Bank policy rate + 8 percentage "
    "points",
}
_FI_COSTS = {
    "sv": "10 § lagen om indrivning av fordringar (513/1999) och dess maximibelopp",
    "nb": "§ 10 finsk lov om inndriving av fordringer (513/1999) og dens maksimalbeløp",
    "fi": "laki saatavien perinnästä (513/1999) 10 § ja sen enimmäismäärät",
    "en": "Finnish Debt Collection Act (513/1999), s. 10 and its maximum amounts",
}
_FI_INTEREST = {
    "consumer": {
        "sv": "4 § räntelagen (633/1982): referensräntan + 7 procentenheter",
        "nb": "§ 4 finsk rentelov (633/1982): referanserenten + 7 prosentpoeng",
        "fi": "korkolaki (633/1982) 4 §: viitekorko + 7 prosenttiyksikköä",
        "en": "Finnish Interest Act (633/1982), s. 4: reference rate + 7 percentage points",
    },
    "business": {
        "sv": "4 a § räntelagen (633/1982): referensräntan + 8 procentenheter",
        "nb": "§ 4 a finsk rentelov (633/1982): referanserenten + 8 prosentpoeng",
        "fi": "korkolaki (633/1982) 4 a §: viitekorko + 8 prosenttiyksikköä",
        "en": "Finnish Interest Act (633/1982), s. 4 a: reference rate + 8 percentage points",
    },
}


def _no_fee(paragraph: int, share: str) -> dict[str, str]:
    return {
        lang: text.format(_NO_PARAGRAPH[lang][paragraph], share) for lang, text in _NO_FEE.items()
    }


BASIS = {
    "SE": {
        "fee:reminder": _SE_COSTS,
        "fee:demand": _SE_COSTS,
        "fee:b2b_compensation": {
            "sv": "4 a § lag (1981:739) om ersättning för inkassokostnader m.m.",
            "nb": "§ 4 a svensk lov (1981:739) om erstatning for inkassokostnader",
            "fi": "Ruotsin laki perintäkulujen korvaamisesta (1981:739) 4 a §",
            "en": "Swedish Debt Collection Costs Act (1981:739), s. 4 a",
        },
        "interest:consumer": _SE_INTEREST,
        "interest:business": _SE_INTEREST,
    },
    "NO": {
        "fee:reminder": _no_fee(0, "1/20"),
        "fee:notice": _no_fee(1, "1/20"),
        "fee:demand": _no_fee(2, "3/20"),
        "interest:consumer": _NO_INTEREST,
        "interest:business": _NO_INTEREST,
    },
    "FI": {
        "fee:reminder": _FI_COSTS,
        "fee:demand": _FI_COSTS,
        "fee:demand_2": _FI_COSTS,
        "interest:consumer": _FI_INTEREST["consumer"],
        "interest:business": _FI_INTEREST["business"],
    },
}  # fmt: skip


def title(language: str, country: str, kind: str, native: str) -> str:
    """The letter's heading; in a language other than the country's, the local name follows
    ("Payment reminder (Purring)"), so the debtor can match it with the law and the authorities."""
    own = TITLE_BY_COUNTRY.get((language, country, kind)) or TITLES[language][kind]
    if language == native:
        return own
    local = TITLE_BY_COUNTRY.get((native, country, kind)) or TITLES[native][kind]
    return own if own == local else f"{own} ({local})"


def line_label(language: str, key: str, *args) -> str:
    text = LINES[language].get(key) or LINES["en"].get(key) or key
    return text.format(*args)


def basis(country: str, key: str, language: str) -> str:
    """The legal basis of a fee (ledger key) or of the interest, in the letter's language;
    empty when the table has none (the line is printed without it)."""
    return BASIS.get(country, {}).get(key, {}).get(language, "")
