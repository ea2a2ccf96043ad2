"""Render a :class:`~letters.context.LetterContext` to HTML (Django templates) and PDF (WeasyPrint).

Templates live in ``templates/letters/<kind>/<language>.html`` and extend ``letters/base.html``.
A native-language template (sv for SE, nb for NO, fi for FI) is written for that country's law, so
it is only used for that country; any other combination, and any missing language variant, falls
back to ``<kind>/en.html`` (which words itself per country) and the whole letter is then English.
All amounts and dates are formatted here, so templates only place strings.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from letters.context import LetterContext, LetterError
from nordic.countries import country as nordic_country
from nordic.formatting import NBSP, format_date, format_money

TITLES = {
    "sv": {
        "reminder": "Betalningspåminnelse",
        "demand": "Inkassokrav",
        "enforcement_notice": "Underrättelse före ansökan hos Kronofogden",
    },
    "nb": {
        "reminder": "Purring",
        "notice": "Inkassovarsel",
        "demand": "Betalingsoppfordring",
        "enforcement_notice": "Varsel om rettslig inndriving",
    },
    "fi": {
        "reminder": "Maksumuistutus",
        "demand": "Maksuvaatimus",
        "demand_2": "Toinen maksuvaatimus",
        "enforcement_notice": "Ilmoitus oikeudellisesta perinnästä",
    },
    "en": {
        "reminder": "Payment reminder",
        "notice": "Debt collection notice",
        "demand": "Debt collection demand",
        "demand_2": "Second debt collection demand",
        "enforcement_notice": "Notice before legal action",
    },
}
# English titles also name the local document: "Debt collection notice (Inkassovarsel)".
EN_TITLE_OVERRIDES = {("NO", "demand"): "Demand for payment"}

LABELS = {
    "sv": {
        "date": "Datum",
        "case_number": "Ärendenummer",
        "creditor": "Borgenär",
        "sender": "Avsändare",
        "org_number": "Org.nr",
        "phone": "Telefon",
        "email": "E-post",
        "invoices": "Kravet avser",
        "invoice_number": "Faktura",
        "invoice_date": "Fakturadatum",
        "due_date": "Förfallodag",
        "invoice_amount": "Fakturabelopp",
        "outstanding": "Obetalt",
        "specification": "Specifikation",
        "amount": "Belopp",
        "total": "Att betala",
        "payment": "Betalningsinformation",
        "pay_to": "Betalningsmottagare",
        "pay_by": "Betala senast",
        "reference_note": "Ange alltid {label} {reference} vid betalning.",
        "page": "Sida",
        "of": "av",
        "return_address": "Avs.",
        "message": "Meddelande från borgenären",
    },
    "nb": {
        "date": "Dato",
        "case_number": "Saksnummer",
        "creditor": "Fordringshaver",
        "sender": "Avsender",
        "org_number": "Org.nr.",
        "phone": "Telefon",
        "email": "E-post",
        "invoices": "Kravet gjelder",
        "invoice_number": "Faktura",
        "invoice_date": "Fakturadato",
        "due_date": "Forfallsdato",
        "invoice_amount": "Fakturabeløp",
        "outstanding": "Utestående",
        "specification": "Spesifikasjon",
        "amount": "Beløp",
        "total": "Å betale",
        "payment": "Betalingsinformasjon",
        "pay_to": "Betalingsmottaker",
        "pay_by": "Betales innen",
        "reference_note": "Oppgi alltid {label} {reference} ved betaling.",
        "page": "Side",
        "of": "av",
        "return_address": "Avs.",
        "message": "Melding fra fordringshaver",
    },
    "fi": {
        "date": "Päiväys",
        "case_number": "Asianumero",
        "creditor": "Velkoja",
        "sender": "Lähettäjä",
        "org_number": "Y-tunnus",
        "phone": "Puhelin",
        "email": "Sähköposti",
        "invoices": "Saatava koskee",
        "invoice_number": "Lasku",
        "invoice_date": "Laskun päiväys",
        "due_date": "Eräpäivä",
        "invoice_amount": "Laskun summa",
        "outstanding": "Avoinna",
        "specification": "Erittely",
        "amount": "Määrä",
        "total": "Maksettava yhteensä",
        "payment": "Maksutiedot",
        "pay_to": "Saaja",
        "pay_by": "Eräpäivä",
        "reference_note": "Käytä maksaessasi aina viitenumeroa {reference}.",
        "page": "Sivu",
        "of": "/",
        "return_address": "Läh.",
        "message": "Velkojan viesti",
    },
    "en": {
        "date": "Date",
        "case_number": "Case number",
        "creditor": "Creditor",
        "sender": "Sender",
        "org_number": "Reg. no.",
        "phone": "Phone",
        "email": "Email",
        "invoices": "The claim concerns",
        "invoice_number": "Invoice",
        "invoice_date": "Invoice date",
        "due_date": "Due date",
        "invoice_amount": "Invoice amount",
        "outstanding": "Unpaid",
        "specification": "Specification",
        "amount": "Amount",
        "total": "Amount to pay",
        "payment": "Payment details",
        "pay_to": "Payee",
        "pay_by": "Pay by",
        "reference_note": "Always quote {label} {reference} when you pay.",
        "page": "Page",
        "of": "of",
        "return_address": "From",
        "message": "Message from the creditor",
    },
}


class LetterTemplateMissing(LetterError, LookupError):
    """No template exists for the letter kind, not even the English fallback."""


def _template_names(kind: str, country: str, language: str) -> list[tuple[str, str]]:
    names = []
    if language == nordic_country(country).language:
        names.append((language, f"letters/{kind}/{language}.html"))
    names.append(("en", f"letters/{kind}/en.html"))
    return names


@lru_cache(maxsize=64)
def _resolve(kind: str, country: str, language: str) -> tuple[str, str]:
    """(language, template name) for a letter; Django itself caches the compiled template."""
    for lang, name in _template_names(kind, country, language):
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        return lang, name
    raise LetterTemplateMissing(
        f"no template for letter kind {kind!r} ({country}, {language}); "
        f"expected templates/letters/{kind}/{language}.html or templates/letters/{kind}/en.html"
    )


def letter_language(ctx: LetterContext) -> str:
    """The language the letter is actually written in (ctx.language, or "en" as fallback)."""
    return _resolve(ctx.kind, ctx.country, ctx.language)[0]


def letter_title(ctx: LetterContext) -> str:
    lang = letter_language(ctx)
    if lang != "en":
        return TITLES[lang][ctx.kind]
    english = EN_TITLE_OVERRIDES.get((ctx.country, ctx.kind), TITLES["en"][ctx.kind])
    native = TITLES[nordic_country(ctx.country).language].get(ctx.kind)
    return f"{english} ({native})" if native else english


def _party(party, t) -> dict:
    details = []  # label and value joined by a no-break space so a line never splits them
    if party.org_number:
        details.append(f"{t['org_number']}{NBSP}{party.org_number}")
    if party.phone:
        details.append(f"{t['phone']}{NBSP}{party.phone}")
    if party.email:
        details.append(f"{t['email']}{NBSP}{party.email}")
    contact = [x for x in (party.email, party.phone) if x] or list(party.address_lines)
    return {
        "name": party.name,
        "contact": ", ".join(contact),
        "address_lines": party.address_lines,
        "org_number": party.org_number,
        "details": details,
        "parts": (party.name, *party.address_lines, *details),
    }


def letter_template_context(ctx: LetterContext) -> dict:
    """Everything the templates print, already formatted for the letter's language."""
    lang, _ = _resolve(ctx.kind, ctx.country, ctx.language)
    t = LABELS[lang]

    def money(amount):
        return format_money(amount, ctx.currency, lang)

    def day(d):
        return format_date(d, lang)

    invoices = [
        {
            "number": inv.number,
            "invoice_date": day(inv.invoice_date),
            "due_date": day(inv.due_date),
            "amount": money(inv.amount),
            "outstanding": money(inv.outstanding),
            "description": inv.description,
        }
        for inv in ctx.invoices
    ]
    return {
        "letter": ctx,
        "lang": lang,
        "title": letter_title(ctx),
        "t": t,
        "collector": _party(ctx.collector, t),
        "creditor": _party(ctx.creditor, t),
        "debtor": _party(ctx.debtor, t),
        "letter_date": day(ctx.letter_date),
        "pay_by": day(ctx.pay_by),
        "total": money(ctx.total),
        "invoices": invoices,
        "several_invoices": len(invoices) > 1,
        "invoice_numbers": ", ".join(inv.number for inv in ctx.invoices),
        "first_due_date": day(min(inv.due_date for inv in ctx.invoices)),
        "lines": [{"label": line.label, "amount": money(line.amount)} for line in ctx.lines],
        "reference_note": t["reference_note"].format(
            label=ctx.reference_label, reference=ctx.payment_reference
        ),
    }


def render_letter_html(ctx: LetterContext) -> str:
    _, name = _resolve(ctx.kind, ctx.country, ctx.language)
    return render_to_string(name, letter_template_context(ctx))


# --- PDF ----------------------------------------------------------------------------------------

ASSETS_DIR = Path(settings.BASE_DIR) / "templates" / "letters"
_local = threading.local()


def _font_config():
    """One FontConfiguration per thread: building it costs more than a small letter's layout."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


@lru_cache(maxsize=1)
def _local_fetcher_class():
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    assets = ASSETS_DIR.resolve()

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                if Path(url2pathname(parts.path)).resolve().is_relative_to(assets):
                    return super().fetch(url, headers)
            raise ValueError(f"letters may not load {url!r}: only data: and local letter assets")

    return LocalOnlyFetcher


def local_url_fetcher():
    """A WeasyPrint fetcher that refuses everything but data: URLs and files under
    templates/letters, and stops the rendering on a refused URL (no network, ever)."""
    return _local_fetcher_class()(fail_on_errors=True, allowed_protocols={"data", "file"})


def html_to_pdf(html: str) -> bytes:
    """The one WeasyPrint entry point for every document we make (letters, the agreement, the
    remittance): the thread's font configuration, assets from templates/letters only, no
    network. A caller below letters in the layers (creditors) is handed this function."""
    from weasyprint import HTML

    document = HTML(
        string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=local_url_fetcher()
    )
    return document.write_pdf(font_config=_font_config())


def render_letter_pdf(ctx: LetterContext) -> bytes:
    return html_to_pdf(render_letter_html(ctx))
