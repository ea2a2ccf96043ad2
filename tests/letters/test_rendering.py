"""Debtor letters: real PDFs rendered with WeasyPrint and read back with pypdf (no database)."""

import dataclasses
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from letters.context import (
    KINDS_BY_COUNTRY,
    LetterError,
    LetterLine,
    UnknownLetterKind,
    example_context,
)
from letters.rendering import (
    LABELS,
    LetterTemplateMissing,
    letter_language,
    letter_title,
    local_url_fetcher,
    render_letter_html,
    render_letter_pdf,
)
from nordic.formatting import (
    format_date,
    format_money,
    format_percent,
    interest_label,
    normalize_space,
)

NATIVE = {"SE": "sv", "NO": "nb", "FI": "fi"}
# Every letter the service sends, in the country's language and in English.
SUPPORTED = [
    (country, kind, language)
    for country, kinds in KINDS_BY_COUNTRY.items()
    for kind in kinds
    for language in (NATIVE[country], "en")
]
PREVIEW_DIR = Path("/tmp/letters-preview")


@cache
def pdf_for(country, kind, language, invoices=2):
    return render_letter_pdf(example_context(country, kind, language, invoices=invoices))


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return normalize_space(" ".join(page.extract_text() for page in reader.pages))


def money(amount, ctx, lang=None):
    return normalize_space(format_money(amount, ctx.currency, lang or letter_language(ctx)))


def parse_money(text: str, lang: str) -> list[Decimal]:
    """Every printed amount with its currency, as Decimal (percentages are not money)."""
    if lang == "en":
        found = re.findall(r"(?:SEK|NOK|EUR) (-?\d{1,3}(?:,\d{3})*\.\d{2})\b", text)
        return [Decimal(x.replace(",", "")) for x in found]
    # An amount starts after a space: "... 2025-09-15 316,08 kr" is 316,08, not 15 316,08.
    found = re.findall(r"(?<!\S)(-?\d{1,3}(?: \d{3})*,\d{2}) (?:kr|€|[A-Z]{3})(?!\w)", text)
    return [Decimal(x.replace(" ", "").replace(",", ".")) for x in found]


@pytest.mark.parametrize(("country", "kind", "language"), SUPPORTED)
def test_pdf_states_what_the_debtor_needs(country, kind, language):
    ctx = example_context(country, kind, language, invoices=2)
    text = pdf_text(pdf_for(country, kind, language))
    lang = letter_language(ctx)
    assert lang == language
    assert letter_title(ctx) in text
    assert ctx.case_number in text
    assert ctx.payment_reference in text
    assert normalize_space(ctx.pay_to_account) in text
    assert money(ctx.total, ctx) in text
    assert format_date(ctx.pay_by, lang) in text
    assert ctx.debtor.name in text
    assert ctx.creditor.name in text  # who the creditor is (also checks "&" is not "&amp;")
    assert ctx.collector.name in text
    for invoice in ctx.invoices:
        assert invoice.number in text
        assert money(invoice.outstanding, ctx) in text


@pytest.mark.parametrize(("country", "kind", "language"), SUPPORTED)
def test_printed_lines_add_up_to_the_printed_total(country, kind, language):
    ctx = example_context(country, kind, language, invoices=2)
    text = pdf_text(pdf_for(country, kind, language))
    t = LABELS[language]
    spec = text.split(f" {t['specification']} ", 1)[1]
    spec, after_total = spec.split(f" {t['total']} ", 1)
    printed_lines = parse_money(spec, language)
    printed_total = parse_money(after_total, language)[0]
    assert len(printed_lines) == len(ctx.lines)
    assert printed_lines == [line.amount for line in ctx.lines]
    assert sum(printed_lines) == printed_total == ctx.total


@pytest.mark.parametrize(("country", "kind", "language"), SUPPORTED)
def test_amounts_are_never_float_formatted(country, kind, language):
    ctx = example_context(country, kind, language, invoices=2)
    text = pdf_text(pdf_for(country, kind, language))
    for amount in [ctx.total, *(line.amount for line in ctx.lines)]:
        if language == "en" and abs(amount) < 1000:
            continue  # "SEK 316.08" is the right English format
        floaty = re.escape(str(float(amount)))  # e.g. "10264.13" or "60.0"
        assert not re.search(rf"(?<![\d.,]){floaty}(?!\d)", text)
        assert str(amount) not in text  # Decimal's own str(), e.g. "9870.00"
    if language == "en":
        assert not re.search(r"(?<![\d,.])\d{4,}\.\d", text)  # 1234.5 / 9870.00: no grouping
        assert not re.search(r"\d\.\d(?![\d])", text)  # a single decimal digit
    else:
        # Nordic amounts use a decimal comma; a dot between digits may only separate a date.
        assert not re.search(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])", text)


def test_one_invoice_letters_fit_on_one_page():
    for country, kind, language in SUPPORTED:
        pdf = pdf_for(country, kind, language, invoices=1)
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1, (country, kind, language)


def test_many_invoices_flow_onto_numbered_pages():
    ctx = example_context("SE", "demand", invoices=40)
    reader = PdfReader(io.BytesIO(render_letter_pdf(ctx)))
    assert len(reader.pages) >= 2
    text = pdf_text(render_letter_pdf(ctx))
    assert f"Sida 1 av {len(reader.pages)}" in text
    assert money(ctx.total, ctx) in text
    assert all(inv.number in text for inv in ctx.invoices)


@pytest.mark.parametrize(
    ("country", "kind", "title"),
    [
        ("SE", "reminder", "Betalningspåminnelse"),
        ("SE", "demand", "Inkassokrav"),
        ("NO", "reminder", "Purring"),
        ("NO", "notice", "Inkassovarsel"),
        ("NO", "demand", "Betalingsoppfordring"),
        ("FI", "reminder", "Maksumuistutus"),
        ("FI", "demand", "Maksuvaatimus"),
        ("FI", "demand_2", "Toinen maksuvaatimus"),
    ],
)
def test_titles(country, kind, title):
    assert letter_title(example_context(country, kind)) == title
    english = letter_title(example_context(country, kind, "en"))
    assert english.endswith(f"({title})")


def test_unknown_kind_raises_a_clear_error():
    ctx = example_context("SE", "reminder")
    with pytest.raises(UnknownLetterKind, match="unknown letter kind 'bogus'.*reminder"):
        dataclasses.replace(ctx, kind="bogus")
    with pytest.raises(UnknownLetterKind, match="no 'notice' letter is sent in SE"):
        dataclasses.replace(ctx, kind="notice")
    assert issubclass(UnknownLetterKind, ValueError)


def test_missing_template_raises_a_clear_error(monkeypatch):
    import letters.rendering as rendering

    monkeypatch.setattr(
        rendering, "_template_names", lambda *args: [("en", "letters/nope/en.html")]
    )
    rendering._resolve.cache_clear()
    try:
        with pytest.raises(LetterTemplateMissing, match="no template for letter kind 'reminder'"):
            render_letter_html(example_context("SE", "reminder"))
    finally:
        monkeypatch.undo()
        rendering._resolve.cache_clear()


def test_a_stage_in_another_countrys_language_words_that_countrys_law():
    # A Finnish case for a Swedish-speaking debtor: Swedish words, Finnish law and authorities.
    ctx = example_context("FI", "demand", "sv")
    assert letter_language(ctx) == "sv"
    html = render_letter_html(ctx)
    assert '<html lang="sv">' in html
    assert "Betalningskrav (Maksuvaatimus)" in html
    assert "ulosotto" in html and "Kronofogden" not in html
    assert format_money(ctx.total, "EUR", "sv") in html


def test_the_enforcement_notice_falls_back_to_english_outside_its_country():
    # Its templates are each written for their own country only (the engine does not send it).
    ctx = example_context("FI", "enforcement_notice", "sv")
    assert letter_language(ctx) == "en"
    assert '<html lang="en">' in render_letter_html(ctx)


def test_money_is_decimal_only():
    with pytest.raises(TypeError):
        LetterLine("Capital", 1234.5)
    with pytest.raises(TypeError):
        format_money(1234.5, "SEK", "sv")
    with pytest.raises(LetterError, match="more than two decimals"):
        LetterLine("Interest", Decimal("12.345"))
    assert LetterLine("Nothing yet", 0).amount == Decimal("0")  # an empty sum() is an int


def test_context_rejects_letters_that_make_no_sense():
    ctx = example_context("NO", "notice")
    with pytest.raises(LetterError, match="before the letter date"):
        dataclasses.replace(ctx, pay_by=date(2025, 1, 1))
    with pytest.raises(LetterError, match="positive"):
        dataclasses.replace(ctx, lines=(LetterLine("Paid", Decimal("-1.00")),))
    with pytest.raises(LetterError, match="invoice"):
        dataclasses.replace(ctx, invoices=())
    with pytest.raises(LetterError, match="case_number is required"):
        dataclasses.replace(ctx, case_number=None)


def test_formatting():
    nbsp = "\u00a0"
    assert format_money(Decimal("1234.5"), "SEK", "sv") == f"1{nbsp}234,50{nbsp}kr"
    assert format_money(Decimal("1234.50"), "NOK", "nb") == f"1{nbsp}234,50{nbsp}kr"
    assert format_money(Decimal("1234.50"), "EUR", "fi") == f"1{nbsp}234,50{nbsp}€"
    assert format_money(Decimal("1234567.891"), "NOK", "sv") == f"1{nbsp}234{nbsp}567,89{nbsp}NOK"
    assert format_money(Decimal("-60"), "SEK", "sv") == f"-60,00{nbsp}kr"
    assert format_money(Decimal("0.005"), "EUR", "fi") == f"0,01{nbsp}€"  # half up
    assert format_money(Decimal("1234.5"), "SEK", "en") == f"SEK{nbsp}1,234.50"
    assert format_date(date(2025, 6, 3), "sv") == "2025-06-03"
    assert format_date(date(2025, 6, 3), "nb") == "03.06.2025"
    assert format_date(date(2025, 6, 3), "fi") == "3.6.2025"
    assert format_date(date(2025, 6, 3), "en") == "3 June 2025"
    assert format_percent(Decimal("12.25"), "nb") == f"12,25{nbsp}%"
    assert format_percent(Decimal("9.5"), "en") == "9.50%"
    assert (
        normalize_space(interest_label(Decimal("10"), date(2025, 7, 21), "sv"))
        == "Dröjsmålsränta 10,00 % från 2025-07-21"
    )
    assert (
        normalize_space(interest_label(Decimal("9.5"), date(2025, 7, 21), "fi", date(2025, 9, 15)))
        == "Viivästyskorko 9,50 % ajalta 21.7.2025–15.9.2025"
    )
    assert normalize_space("1\u202f234\u00a0kr") == "1 234 kr"


def test_user_text_is_escaped_and_nothing_remote_is_fetched():
    ctx = dataclasses.replace(
        example_context("SE", "reminder"),
        message='Gäller <img src="https://example.invalid/x.png"> leverans & montage',
    )
    html = render_letter_html(ctx)
    assert "<img" not in html and "&lt;img" in html
    assert "Gäller" in pdf_text(render_letter_pdf(ctx))

    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    page = '<p>x</p><img src="https://example.invalid/logo.png">'
    with pytest.raises(FatalURLFetchingError):
        HTML(string=page, url_fetcher=local_url_fetcher()).write_pdf()


def test_templates_load_nothing_from_the_network():
    root = Path(__file__).resolve().parents[2] / "templates" / "letters"
    templates = list(root.rglob("*.html"))
    for _country, kind, language in SUPPORTED:  # each letter has its own-language template
        assert (root / kind / f"{language}.html") in templates
    for template in templates:
        source = template.read_text()
        assert "http:" not in source and "https:" not in source, template
        assert "@import" not in source and "url(" not in source, template
        assert "@font-face" not in source, template


def test_same_letter_gives_the_same_pdf_bytes():
    # Letters are kept with their sha256; rendering must not depend on the clock.
    ctx = example_context("FI", "reminder")
    assert render_letter_pdf(ctx) == render_letter_pdf(ctx)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(
    ("country", "kind", "language"),
    [
        ("SE", "demand", "sv"),
        ("NO", "notice", "nb"),
        ("FI", "reminder", "fi"),
        ("NO", "demand", "en"),
    ],
)
def test_png_preview(country, kind, language):
    """One page-1 PNG per language in /tmp/letters-preview/ for a human to look at."""
    PREVIEW_DIR.mkdir(parents=True, exist_ok=True)
    stem = PREVIEW_DIR / f"{language}-{country}-{kind}"
    pdf_path = stem.with_suffix(".pdf")
    pdf_path.write_bytes(pdf_for(country, kind, language))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf_path, stem],
        check=True,
    )
    png = stem.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
