"""Sending a stage's letter: build its content from the case ledger, render the PDF, keep it."""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile

from cases.models import Case, LedgerEntry
from cases.references import reference_kind_label
from letters.context import LetterContext, LetterInvoice, LetterLine, LetterParty
from letters.models import Letter
from letters.rendering import render_letter_pdf

C = LedgerEntry.Component

# Line labels in the letter's language; fee lines are named by the ledger key "fee:<stage>".
LABELS = {
    "sv": {"invoice": "Faktura {}", "paid": "Betalt", "fee:reminder": "Påminnelseavgift",
           "fee:demand": "Inkassoavgift", "interest": "Dröjsmålsränta"},
    "nb": {"invoice": "Faktura {}", "paid": "Innbetalt", "fee:reminder": "Purregebyr",
           "fee:notice": "Inkassovarselgebyr", "fee:demand": "Gebyr betalingsoppfordring",
           "interest": "Forsinkelsesrente"},
    "fi": {"invoice": "Lasku {}", "paid": "Maksettu", "fee:reminder": "Muistutusmaksu",
           "fee:demand": "Perintäkulut", "fee:demand_2": "Perintäkulut (2. vaatimus)",
           "interest": "Viivästyskorko"},
    "en": {"invoice": "Invoice {}", "paid": "Paid", "fee:reminder": "Reminder fee",
           "fee:notice": "Collection notice fee", "fee:demand": "Collection fee",
           "fee:demand_2": "Second collection fee", "interest": "Late-payment interest"},
}  # fmt: skip


def _label(language: str, key: str, *args) -> str:
    labels = LABELS.get(language, LABELS["en"])
    text = labels.get(key) or LABELS["en"].get(key) or key
    return text.format(*args)


def letter_context(*, case: Case, stage: str, today: dt.date, pay_by: dt.date) -> LetterContext:
    creditor, debtor = case.creditor, case.debtor
    language = creditor.language
    collector = settings.AUTOCOLLECT_COLLECTOR[case.country]
    invoices = list(case.invoices.order_by("due_date", "pk"))
    entries = list(case.ledger.all())
    lines = []
    for invoice in invoices:
        capital = sum(
            e.amount for e in entries if e.component == C.CAPITAL and e.invoice_id == invoice.pk
        )
        lines.append(LetterLine(label=_label(language, "invoice", invoice.number), amount=capital))
    for e in entries:
        if e.kind == LedgerEntry.Kind.CHARGE and e.component == C.FEE:
            lines.append(LetterLine(label=_label(language, e.key), amount=e.amount))
        elif e.kind == LedgerEntry.Kind.CHARGE and e.component == C.INTEREST:
            lines.append(
                LetterLine(label=e.description or _label(language, "interest"), amount=e.amount)
            )
    # Capital lines above are net; fees and interest are shown raised, then what was paid on them.
    paid = sum(
        -e.amount
        for e in entries
        if e.kind != LedgerEntry.Kind.CHARGE and e.component in (C.FEE, C.INTEREST)
    )
    if paid:
        lines.append(LetterLine(label=_label(language, "paid"), amount=-paid))
    return LetterContext(
        kind=stage,
        country=case.country,
        language=language,
        letter_date=today,
        pay_by=pay_by,
        case_number=case.number,
        payment_reference=case.payment_reference,
        reference_label=reference_kind_label(case.country),
        pay_to_label=collector["account_label"],
        pay_to_account=collector["account"],
        collector=LetterParty(
            collector["name"], tuple(collector["address"]), collector["org_number"]
        ),
        creditor=LetterParty(creditor.legal_name, creditor.address_lines, creditor.org_number),
        debtor=LetterParty(debtor.name, debtor.address_lines, debtor.identity_number),
        currency=case.currency,
        invoices=tuple(
            LetterInvoice(
                i.number, i.invoice_date, i.due_date, i.original_amount, i.outstanding_amount
            )
            for i in invoices
        ),
        lines=tuple(lines),
    )


def letter_send(*, case: Case, stage: str, today: dt.date) -> Letter:
    """Render and keep the stage's letter; a second call for the same stage returns the first."""
    from cases.services import pay_by_date

    existing = Letter.objects.filter(case=case, stage=stage).first()
    if existing:
        return existing
    pay_by = pay_by_date(case, stage, today)
    ctx = letter_context(case=case, stage=stage, today=today, pay_by=pay_by)
    pdf = render_letter_pdf(ctx)
    letter = Letter(
        creditor_id=case.creditor_id,
        case=case,
        stage=stage,
        language=ctx.language,
        letter_date=today,
        pay_by=pay_by,
        total=ctx.total,
        currency=case.currency,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    letter.file.save(f"{case.number}-{stage}.pdf", ContentFile(pdf), save=False)
    letter.save()
    return letter
