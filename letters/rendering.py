"""Render a :class:`~letters.context.LetterContext` to HTML (Django templates) and PDF (WeasyPrint).

Templates live in ``templates/letters/<kind>/<language>.html`` and extend ``letters/base.html``,
which holds the whole layout (sender, window address, claim table, payment slip, legal small
print); a stage's template holds only its paragraphs, in one language, with the country's law
worded per country inside it. Every stage the engine sends exists in sv, nb, fi and en; a stage
written in fewer languages (the enforcement notice) falls back to English. Labels, line names and
legal bases are in letters.texts; amounts and dates are formatted here, so templates only place
strings.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from letters import texts
from letters.context import LetterContext, LetterError
from nordic.countries import country as nordic_country
from nordic.formatting import NBSP, format_date, format_money
from nordic.references import format_fi_reference

LABELS = texts.LABELS  # the tests and previews read them here


class LetterTemplateMissing(LetterError, LookupError):
    """No template exists for the letter kind, not even the English fallback."""


# The stages the engine sends (cases.lifecycle.LETTER_STAGES): each in every language, the
# country's law worded inside. The enforcement notice's templates are each for their own
# country only, with English (worded per country) for everything else.
EVERY_LANGUAGE = frozenset({"reminder", "notice", "demand", "demand_2"})


def _template_names(kind: str, country: str, language: str) -> list[tuple[str, str]]:
    names = []
    if kind in EVERY_LANGUAGE or language == nordic_country(country).language:
        names.append((language, f"letters/{kind}/{language}.html"))
    return [*names, ("en", f"letters/{kind}/en.html")]


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
    native = nordic_country(ctx.country).language
    return texts.title(letter_language(ctx), ctx.country, ctx.kind, native)


def _party(party, t) -> dict:
    details = []  # label and value joined by a no-break space so a line never splits them
    if party.org_number:
        details.append(f"{t['org_number']}{NBSP}{party.org_number}")
    if party.phone:
        details.append(f"{t['phone']}{NBSP}{party.phone}")
    if party.email:
        details.append(f"{t['email']}{NBSP}{party.email}")
    if party.web:
        details.append(f"{t['web']}{NBSP}{party.web}")
    contact = [x for x in (party.phone, party.email, party.web) if x]
    return {
        "name": party.name,
        "legal_name": party.legal_name,
        "contact": ", ".join(contact or party.address_lines),
        "address_lines": party.address_lines,
        "org_number": party.org_number,
        "details": details,
        "parts": (party.name, *party.address_lines, *details),
    }


def letter_template_context(ctx: LetterContext) -> dict:
    """Everything the templates print, already formatted for the letter's language."""
    lang, _ = _resolve(ctx.kind, ctx.country, ctx.language)
    t = LABELS[lang]
    if lang == "fi" and ctx.country != "FI":  # "Y-tunnus" is Finland's own number
        t = {**t, "org_number": "Rek.nro"}

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
        "lines": [
            {
                "label": line.label,
                "amount": money(line.amount),
                "basis": line.basis,
                "kind": line.kind,
                "received": line.amount < 0,
            }
            for line in ctx.lines
        ],  # fmt: skip
        "licence": (
            f"{t['licence'][ctx.country]}: {ctx.collector.licence}" if ctx.collector.licence else ""
        ),
        "reference": (
            format_fi_reference(ctx.payment_reference)
            if ctx.country == "FI" and ctx.payment_reference.isdigit()
            else ctx.payment_reference
        ),
        "consumer": ctx.debtor_kind == "consumer",
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
