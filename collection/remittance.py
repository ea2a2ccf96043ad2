"""The remittance (remitteringsbilag) for a payout: what it pays, case by case and line by line,
in the creditor's language, rendered by the same WeasyPrint machinery as the letters
(letters.rendering.html_to_pdf). The words are here, per language, as the letters' are: the
document is the creditor's, in its language, whatever the page's language is."""

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from letters.rendering import html_to_pdf
from nordic.countries import country as nordic_country
from nordic.formatting import format_date, format_money
from settlements import split
from settlements.models import Payout
from settlements.payouts import payout_lines

TEMPLATE = "settlements/remittance.html"
WORDS = {
    "en": {
        "title": "Remittance",
        "payout": "Payout",
        "date": "Date",
        "account": "Paid to account",
        "case": "Case",
        "invoice": "Invoice",
        "what": "What",
        "amount": "Amount",
        "total": "Paid out",
        "bookings": "Booked in your ledger, no money moved",
        "voucher": "The payout is booked in your accounts automatically.",
        "no_voucher": "Book this payout in your accounts.",
        "subject": "Remittance for payout {number}",
        "body": "The remittance for payout {number} of {amount} is attached.",
        split.CAPITAL: "Capital",
        split.INTEREST: "Late interest",
        split.FEE_INCOME: "Fees (yours)",
        split.BYPASS_FEES: "Our fees the debtor paid to you",
        split.REMINDER_FEE_VAT: "VAT on reminder fees",
        split.LOSS: "Capital written off",
        split.DIRECT_INTEREST: "Interest the debtor paid to you",
        split.DIRECT_FEE_INCOME: "Fees the debtor paid to you",
    },
    "sv": {
        "title": "Redovisning",
        "payout": "Utbetalning",
        "date": "Datum",
        "account": "Utbetalt till konto",
        "case": "Ärende",
        "invoice": "Faktura",
        "what": "Avser",
        "amount": "Belopp",
        "total": "Utbetalt",
        "bookings": "Bokfört hos er, inga pengar flyttade",
        "voucher": "Utbetalningen bokförs automatiskt i ert ekonomiprogram.",
        "no_voucher": "Bokför utbetalningen i ert ekonomiprogram.",
        "subject": "Redovisning för utbetalning {number}",
        "body": "Redovisningen för utbetalning {number} på {amount} bifogas.",
        split.CAPITAL: "Kapital",
        split.INTEREST: "Dröjsmålsränta",
        split.FEE_INCOME: "Avgifter (era)",
        split.BYPASS_FEES: "Våra avgifter som gäldenären betalat till er",
        split.REMINDER_FEE_VAT: "Moms på påminnelseavgifter",
        split.LOSS: "Avskrivet kapital",
        split.DIRECT_INTEREST: "Ränta som gäldenären betalat till er",
        split.DIRECT_FEE_INCOME: "Avgifter som gäldenären betalat till er",
    },
    "nb": {
        "title": "Remitteringsbilag",
        "payout": "Utbetaling",
        "date": "Dato",
        "account": "Utbetalt til konto",
        "case": "Sak",
        "invoice": "Faktura",
        "what": "Gjelder",
        "amount": "Beløp",
        "total": "Utbetalt",
        "bookings": "Bokført hos dere, ingen penger flyttet",
        "voucher": "Oppgjøret bokføres automatisk i regnskapet deres.",
        "no_voucher": "Bokfør oppgjøret i regnskapet deres.",
        "subject": "Remitteringsbilag for utbetaling {number}",
        "body": "Remitteringsbilaget for utbetaling {number} på {amount} er vedlagt.",
        split.CAPITAL: "Hovedstol",
        split.INTEREST: "Forsinkelsesrente",
        split.FEE_INCOME: "Gebyrer (deres)",
        split.BYPASS_FEES: "Våre gebyrer skyldner betalte til dere",
        split.REMINDER_FEE_VAT: "MVA på purregebyrer",
        split.LOSS: "Avskrevet hovedstol",
        split.DIRECT_INTEREST: "Rente skyldner betalte til dere",
        split.DIRECT_FEE_INCOME: "Gebyrer skyldner betalte til dere",
    },
    "fi": {
        "title": "Tilitysilmoitus",
        "payout": "Tilitys",
        "date": "Päivämäärä",
        "account": "Maksettu tilille",
        "case": "Asia",
        "invoice": "Lasku",
        "what": "Selite",
        "amount": "Määrä",
        "total": "Tilitetty",
        "bookings": "Kirjattu kirjanpitoonne, rahaa ei siirretty",
        "voucher": "Tilitys kirjataan kirjanpitoonne automaattisesti.",
        "no_voucher": "Kirjatkaa tilitys kirjanpitoonne.",
        "subject": "Tilitysilmoitus {number}",
        "body": "Tilityksen {number} ({amount}) tilitysilmoitus on liitteenä.",
        split.CAPITAL: "Pääoma",
        split.INTEREST: "Viivästyskorko",
        split.FEE_INCOME: "Maksut (teidän)",
        split.BYPASS_FEES: "Velallisen teille maksamat perintäkulumme",
        split.REMINDER_FEE_VAT: "Arvonlisävero muistutusmaksuista",
        split.LOSS: "Poistettu pääoma",
        split.DIRECT_INTEREST: "Velallisen teille maksama korko",
        split.DIRECT_FEE_INCOME: "Velallisen teille maksamat maksut",
    },
}


@dataclass(frozen=True)
class Remittance:
    pdf: bytes
    subject: str
    body: str
    language: str


def remittance_language(payout: Payout) -> str:
    language = nordic_country(payout.creditor.country).language
    return language if language in WORDS else "en"


def remittance_render(payout: Payout, *, booked_in_erp: bool) -> Remittance:
    language = remittance_language(payout)
    words = WORDS[language]

    def money(amount: Decimal) -> str:
        return format_money(amount, payout.currency, language)

    cash, bookings = [], []
    for line in payout_lines(payout):
        row = {
            "case": line.settlement.case.number,
            "invoice": line.invoice.number if line.invoice else "",
            "what": words[line.kind],
            "amount": money(line.amount),
        }
        (cash if line.kind in split.CASH_KINDS else bookings).append(row)
    creditor = payout.creditor
    html = render_to_string(
        TEMPLATE,
        {
            "w": words,
            "language": language,
            "creditor": creditor,
            "number": payout.external_number,
            "date": format_date(payout.created_on, language),
            "account": payout.account,
            "cash": cash,
            "bookings": bookings,
            "total": money(payout.amount),
            "booked_in_erp": booked_in_erp,
        },
    )
    fields = {"number": payout.external_number, "amount": money(payout.amount)}
    return Remittance(
        pdf=html_to_pdf(html),
        subject=words["subject"].format(**fields),
        body=words["body"].format(**fields),
        language=language,
    )
