"""Every letter the engine sends, in every language: rendered by WeasyPrint, read back with
pypdf, and checked for the figures, the reference, the Finnish barcode line and the legal text
the stage requires (domain-rules.md sections 1-3). Then the archive: a case's letter keeps the
PDF, its hash and the figures it showed, and is never made again."""

import dataclasses
import datetime as dt
import hashlib
import io
import shutil
import subprocess
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.lifecycle import STAGE_PLAN
from letters.context import example_context
from letters.rendering import letter_language, letter_title, render_letter_pdf
from letters.texts import LANGUAGES
from nordic.fi_barcode import parse_virtual_barcode
from nordic.formatting import format_date, format_money, normalize_space

# Every (country, stage) the engine can send a letter at, in every letter language.
SENT = [
    (country, stage, language)
    for country, plan in STAGE_PLAN.items()
    for stage in plan
    if stage != "decision"
    for language in LANGUAGES
]
# A phrase of each stage's legal text per language: how to object, and what happens next in
# that country (Kronofogden; forliksråd/utlegg and the § 22 complaints board; court/ulosotto).
OBJECT = {"sv": ("felaktig",), "nb": ("feil",), "fi": ("virheellinen", "kiistät"),
          "en": ("wrong",)}  # fmt: skip
NEXT = {
    ("SE", "sv"): "Kronofogden", ("SE", "nb"): "Kronofogden", ("SE", "fi"): "Kronofogden",
    ("SE", "en"): "Kronofogden",
    ("NO", "sv"): "utlegg", ("NO", "nb"): "utlegg", ("NO", "fi"): "utlegg", ("NO", "en"): "utlegg",
    ("FI", "sv"): "ulosotto", ("FI", "nb"): "ulosotto", ("FI", "fi"): "ulosot",
    ("FI", "en"): "ulosotto",
}  # fmt: skip
COLLECTION = {"sv": ("inkasso", "indrivning"), "nb": ("inkasso",), "fi": ("perintään",),
              "en": ("debt collection",)}  # fmt: skip
# Stage-specific statutory wording: the inkassovarsel names INKL § 9 and the collection that
# follows; a demand in Norway names the § 22 complaints board; Finland the debt advice service.
STAGE_TEXT = {
    ("NO", "notice"): {"sv": "9 § norska inkassoloven", "nb": "inkassoloven § 9",
                       "fi": "inkassoloven) 9 §", "en": "section 9 of the Norwegian"},
    ("NO", "demand"): {"sv": "22 §", "nb": "§ 22", "fi": "22 §", "en": "section 22"},
    ("FI", "demand"): {"sv": "skuldrådgivning", "nb": "gjeldsrådgivning",
                       "fi": "velkaneuvonna", "en": "debt advice"},
    ("FI", "demand_2"): {"sv": "skuldrådgivning", "nb": "gjeldsrådgivning",
                         "fi": "velkaneuvonna", "en": "debt advice"},
}  # fmt: skip


@cache
def rendered(country, stage, language):
    ctx = example_context(country, stage, language, invoices=2)
    pdf = render_letter_pdf(ctx)
    reader = PdfReader(io.BytesIO(pdf))
    text = normalize_space(" ".join(page.extract_text() for page in reader.pages))
    return ctx, text, len(reader.pages)


def flat(text: str) -> str:
    """Text with line breaks and no-break spaces as plain spaces (pypdf keeps the layout's)."""
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize(("country", "stage", "language"), SENT)
def test_every_letter_states_figures_reference_and_law(country, stage, language):
    ctx, text, pages = rendered(country, stage, language)
    text = flat(text)
    assert letter_language(ctx) == language  # written in the debtor's language, not English
    assert flat(letter_title(ctx)) in text

    def has(s):
        assert flat(s) in text, (s, country, stage, language)

    # Figures: each line (capital per invoice, paid before, interest with rate and from-date,
    # each fee with its legal basis, the payment received) and the total, which is their sum.
    kinds = {line.kind for line in ctx.lines}
    assert {"capital", "paid_before", "interest", "payment"} <= kinds
    assert "fee" in kinds
    for line in ctx.lines:
        has(line.label)
        has(format_money(line.amount, ctx.currency, language))
        if line.kind in ("fee", "interest"):
            assert line.basis, (line.label, country)
            has(line.basis)
    assert ctx.total == sum(line.amount for line in ctx.lines)
    has(format_money(ctx.total, ctx.currency, language))
    has(format_date(ctx.pay_by, language))
    # The invoices and what they concern, the parties, our licence and contact channels.
    for inv in ctx.invoices:
        has(inv.number)
    has("Order 2025-118")
    has(ctx.case_number)
    has(ctx.debtor.name)
    has(ctx.creditor.name)
    for value in (ctx.collector.name, ctx.collector.org_number, ctx.collector.phone,
                  ctx.collector.email, ctx.collector.web, ctx.collector.licence):  # fmt: skip
        has(value)
    assert "999 999 999" not in text
    # Payment details: domestic account and reference, IBAN/BIC for payers abroad.
    has(ctx.pay_to_account)
    assert ctx.payment_reference in text.replace(" ", "")
    has(ctx.iban)
    has(ctx.bic)
    if country == "FI":
        # The virtuaaliviivakoodi: 54 digits that a bank reads back as this very payment.
        assert ctx.barcode in text.replace(" ", "")
        back = parse_virtual_barcode(ctx.barcode)
        assert back["amount"] == ctx.total and back["due"] == ctx.pay_by
        assert back["reference"] == ctx.payment_reference
        assert back["iban"] == ctx.iban.replace(" ", "")
    else:
        assert not ctx.barcode
    # Legal text: how to object (quoting the case number), what happens next, stage wording.
    assert any(w in text for w in OBJECT[language]), (country, stage, language)
    if stage in ("demand", "demand_2"):
        has(NEXT[(country, language)])
    else:  # a reminder or notice says the claim goes to collection next
        assert any(flat(w) in text for w in COLLECTION[language]), (country, stage, language)
    if (country, stage) in STAGE_TEXT:
        has(STAGE_TEXT[(country, stage)][language])
    assert pages == 1 or len(ctx.invoices) > 1


@pytest.mark.parametrize(("country", "stage", "language"), SENT)
def test_one_invoice_letters_fit_on_one_page(country, stage, language):
    pdf = render_letter_pdf(example_context(country, stage, language, invoices=1))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_fee_basis_names_the_countrys_statute():
    se = example_context("SE", "demand", "en")
    no = example_context("NO", "demand", "sv")
    fi = example_context("FI", "demand_2", "nb")
    assert any("1981:739" in line.basis for line in se.lines if line.kind == "fee")
    assert any("§ 1-2 tredje stycket" in line.basis for line in no.lines)
    assert any("513/1999" in line.basis for line in fi.lines if line.kind == "fee")
    assert any("633/1982" in line.basis for line in fi.lines if line.kind == "interest")


def test_figures_snapshot_holds_what_the_letter_showed():
    ctx = example_context("FI", "demand", "fi", invoices=2)
    figures = ctx.figures()
    assert figures["total"] == str(ctx.total) and figures["reference"] == "1234561"
    assert figures["pay_by"] == ctx.pay_by.isoformat() and figures["barcode"] == ctx.barcode
    interest = [x for x in figures["lines"] if x["kind"] == "interest"]
    assert interest and all(x["rate"] == "9.50" and x["start"] for x in interest)
    assert sum(Decimal(x["amount"]) for x in figures["lines"]) == ctx.total
    # Changing the letter's figures changes the snapshot (it is not a constant).
    other = dataclasses.replace(ctx, pay_by=ctx.pay_by + dt.timedelta(days=1))
    assert other.figures()["pay_by"] != figures["pay_by"]


# --- the archive ------------------------------------------------------------------------------

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _screenshot(pdf: bytes, name: str) -> None:
    """Page 1 as a PNG in var/screenshots/ (pdftoppm), to look at the layout; not an assertion."""
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", "-",
             str(SCREENSHOTS / name)],
            input=pdf, check=True,
        )  # fmt: skip


TODAY = dt.date(2026, 11, 2)


@pytest.mark.parametrize("country", ["SE", "NO", "FI"])
def test_a_cases_letter_is_archived_and_never_made_again(
    country, make_creditor, make_case, settings, django_capture_on_commit_callbacks, client,
    make_user,
):  # fmt: skip
    from collection.advance import case_advance
    from letters.models import Letter
    from letters.services import LetterAlreadySent, _render, letter_render

    creditor = make_creditor(country=country, auxiliary_name="Kuu Kahvilat",
                             debt_description="Catering")  # fmt: skip
    case = make_case(creditor, kind="consumer")
    with django_capture_on_commit_callbacks(execute=True):
        stage = case_advance(case_id=case.pk, today=TODAY)
    letter = Letter.objects.get(case=case)
    assert letter.stage == stage and letter.status == Letter.Status.SENT
    with letter.file.open("rb") as fh:
        pdf = fh.read()
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    text = flat(
        normalize_space(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    )
    _screenshot(pdf, f"letter-{country}-{letter.stage}-{letter.language}")
    figures = letter.figures
    assert Decimal(figures["total"]) == letter.total
    assert figures["reference"] == case.payment_reference
    assert figures["pay_by"] == letter.pay_by.isoformat()
    assert figures["creditor"]["name"] == "Kuu Kahvilat"
    assert "Kuu Kahvilat" in text and creditor.legal_name in text and "Catering" in text
    sender = settings.AUTOCOLLECT_SENDER[country]
    assert flat(sender["org_number"]) in text and sender["licence"] in text
    if country == "FI":
        assert figures["barcode"] and figures["barcode"] in text.replace(" ", "")
    # Whatever changes later (our sender details, the creditor's name), the letter stays as sent:
    # the render refuses, and letter_render (a redelivered task, a download) keeps the archive.
    settings.AUTOCOLLECT_SENDER = {
        **settings.AUTOCOLLECT_SENDER,
        country: {**sender, "name": "Someone Else AB"},
    }
    creditor.auxiliary_name = "Renamed"
    creditor.save(update_fields=["auxiliary_name"])
    with pytest.raises(LetterAlreadySent):
        _render(Letter.objects.select_related("case").get(pk=letter.pk))
    again = letter_render(letter_id=letter.pk)
    assert (again.sha256, again.figures, again.file.name) == (
        letter.sha256, figures, letter.file.name,
    )  # fmt: skip
    # The case page links the archived PDF, which is served byte for byte.
    client.force_login(make_user(creditor))
    page = client.get(f"/c/{creditor.pk}/cases/{case.number}/").content.decode()
    url = reverse("letter-download", args=[creditor.pk, case.number, letter.pk])
    assert "Download PDF" in page and url in page
    assert b"".join(client.get(url).streaming_content) == pdf


@pytest.mark.parametrize(
    ("country", "spoken", "written", "title"),
    [
        ("NO", "", "nb", "Purring"),  # no language in the ERP: the creditor's country's
        ("NO", "en", "en", "Payment reminder (Purring)"),
        ("SE", "fi", "fi", "Maksumuistutus (Betalningspåminnelse)"),
        ("FI", "sv", "sv", "Betalningspåminnelse (Maksumuistutus)"),
        ("FI", "de", "en", "Payment reminder (Maksumuistutus)"),  # one we do not write: English
    ],
)
def test_the_letter_is_in_the_debtors_language_from_the_erp(
    country, spoken, written, title, make_creditor, make_case, django_capture_on_commit_callbacks
):
    from collection.advance import case_advance
    from letters.models import Letter

    case = make_case(make_creditor(country=country), kind="consumer")
    case.debtor.language = spoken
    case.debtor.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        assert case_advance(case_id=case.pk, today=TODAY) == "reminder"
    letter = Letter.objects.get(case=case)
    assert letter.language == written and letter.figures["language"] == written
    with letter.file.open("rb") as fh:
        text = flat(PdfReader(fh).pages[0].extract_text())
    assert title in text


def test_tripletex_customer_language_is_mapped():
    from integrations.tripletex.mapping import customer_from_json

    base = {"id": 7, "name": "Kunde AS", "customerNumber": 7}
    assert customer_from_json({**base, "language": "NO"}).language == "nb"
    assert customer_from_json({**base, "language": "EN"}).language == "en"
    assert customer_from_json(base).language == ""
