"""Sending a stage's letter: write the letters the engine planned, build each one's content from
the case ledger, render the PDF, keep it."""

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases import interest
from cases.bulk import insert
from cases.engine import LetterPlan
from cases.models import Case, LedgerEntry
from cases.rules import country_rules
from cases.rules.base import Claim
from cases.services import case_flag
from letters import texts
from letters.context import LetterContext, LetterInvoice, LetterLine, LetterParty
from letters.models import Letter
from letters.rendering import render_letter_pdf
from nordic.fi_barcode import virtual_barcode
from nordic.formatting import format_date, format_postal_line, interest_label
from nordic.orgnumbers import format_org_number
from nordic.references import reference_kind_label

C = LedgerEntry.Component
K = LedgerEntry.Kind
SWEEP_GRACE = dt.timedelta(minutes=10)
SWEEP_MAX_GAP = dt.timedelta(days=1)


class LetterAlreadySent(Exception):
    """A sent letter is never made again: its PDF, hash and figures are what the debtor got."""


class SenderMissing(ImproperlyConfigured):
    """No sender identity for the case's country (settings.AUTOCOLLECT_SENDER)."""


def sender_for(country: str) -> dict:
    try:
        return settings.AUTOCOLLECT_SENDER[country]
    except KeyError:
        raise SenderMissing(
            f"no sender identity for {country} in AUTOCOLLECT_SENDER (production: set "
            "AUTOCOLLECT_SENDER_JSON); letters there cannot be made"
        ) from None


def letters_create(*, plans: list[LetterPlan]) -> list[int]:
    """Write the planned letters (pending until rendered) in bulk, by COPY on PostgreSQL, in the
    caller's transaction; returns their ids, to render after commit."""
    letters = [
        Letter(
            creditor_id=p.creditor_id,
            case_id=p.case_id,
            stage=p.stage,
            language=p.language,
            letter_date=p.letter_date,
            pay_by=p.pay_by,
            total=p.total,
            currency=p.currency,
            ledger_upto=p.ledger_upto,
        )
        for p in plans
    ]
    insert(Letter, letters)
    return [letter.pk for letter in letters]


def letter_context(*, letter: Letter) -> LetterContext:
    """What the letter says: the case's ledger as it stood when the stage was entered, each
    invoice's capital (and what was paid on it before the case), the interest per invoice with
    rate and from-date, the fees with their legal basis, and what was paid or credited since."""
    case = letter.case
    creditor, debtor = case.creditor, case.debtor
    lang, country = letter.language, case.country
    sender = sender_for(country)
    pay = sender["payment"]
    invoices = list(case.invoices.order_by("due_date", "pk"))
    entries = list(case.ledger.filter(pk__lte=letter.ledger_upto).order_by("pk"))
    rates = None
    lines = []
    for invoice in invoices:
        lines.append(LetterLine(texts.line_label(lang, "capital", invoice.number),
                                invoice.original_amount, kind="capital"))  # fmt: skip
        opened = sum(
            (e.amount for e in entries
             if e.kind == K.CHARGE and e.component == C.CAPITAL and e.invoice_id == invoice.pk),
            Decimal(0),
        )  # fmt: skip
        if opened != invoice.original_amount:
            label = texts.line_label(lang, "paid_before", invoice.number)
            lines.append(LetterLine(label, opened - invoice.original_amount, kind="paid_before"))
        for e in entries:
            if e.kind == K.CHARGE and e.component == C.INTEREST and e.invoice_id == invoice.pk:
                rates = rates or _interest_rates(case)
                start = dt.date.fromisoformat(e.description.split()[-1].split("..")[0])
                rate = interest.rate_on(rates, e.period_end) or Decimal(0)
                lines.append(
                    LetterLine(
                        interest_label(rate, start, lang, e.period_end), e.amount,
                        kind="interest", rate=rate, start=start, end=e.period_end,
                        basis=texts.basis(country, f"interest:{debtor.kind}", lang),
                    )
                )  # fmt: skip
    for e in entries:
        if e.kind == K.CHARGE and e.component == C.FEE:
            lines.append(LetterLine(texts.line_label(lang, e.key), e.amount, kind="fee",
                                    basis=texts.basis(country, e.key, lang)))  # fmt: skip
    lines += _received(entries, lang)
    total = sum((line.amount for line in lines), Decimal(0))
    barcode = ""
    if country == "FI":
        barcode = virtual_barcode(
            iban=pay["iban"], reference=case.payment_reference, amount=total, due=letter.pay_by
        )
    return LetterContext(
        kind=letter.stage,
        country=country,
        language=lang,
        letter_date=letter.letter_date,
        pay_by=letter.pay_by,
        case_number=case.number,
        payment_reference=case.payment_reference,
        reference_label=reference_kind_label(country),
        pay_to_label=pay["label"],
        pay_to_account=pay["account"],
        iban=pay.get("iban", ""),
        bic=pay.get("bic", ""),
        barcode=barcode,
        collector=LetterParty(
            sender["name"],
            tuple(sender["address"]),
            sender["org_number"],
            sender.get("phone", ""),
            sender.get("email", ""),
            sender.get("web", ""),
            sender.get("licence", ""),
        ),  # fmt: skip
        creditor=LetterParty(
            creditor.auxiliary_name or creditor.legal_name,
            _address_lines(country, creditor.address_line1, creditor.postal_code, creditor.city),
            format_org_number(country, creditor.org_number),
            legal_name=creditor.legal_name if creditor.auxiliary_name else "",
        ),
        debtor=LetterParty(
            debtor.name,
            _address_lines(
                debtor.country or country,
                debtor.address_line1,
                debtor.postal_code,
                debtor.city,
                line2=debtor.address_line2,
            ),
            _identity_number(debtor, country),
        ),
        debtor_kind=debtor.kind,
        currency=case.currency,
        invoices=tuple(
            LetterInvoice(
                i.number,
                i.invoice_date,
                i.due_date,
                i.original_amount,
                i.outstanding_amount,
                # The guides' "skuld avser": the invoice's own text, else the creditor's default.
                description=i.text.strip() or creditor.debt_description,
            )
            for i in invoices
        ),
        lines=tuple(lines),
    )


def _address_lines(country: str, line1: str, postal_code: str, city: str, *, line2: str = ""):
    """A party's address as its country writes it, as our own sender lines are written: the
    postal code formatted ("41301" -> "413 01" in Sweden), empty lines left out."""
    lines = (line1, line2, format_postal_line(country, postal_code, city))
    return tuple(x.strip() for x in lines if x and x.strip())


def _identity_number(debtor, country: str) -> str:
    """A business debtor's organisation number as its country writes it ("559123-4561"); a
    consumer's personal number as stored."""
    if debtor.kind == debtor.Kind.BUSINESS:
        return format_org_number(debtor.country or country, debtor.identity_number)
    return debtor.identity_number


def _received(entries, lang: str) -> list[LetterLine]:
    """Payments, credits and write-offs booked on the case: one line per payment (or credit)
    and day, whatever components it covered."""
    kinds = {K.PAYMENT: "payment", K.WRITE_OFF_REVERSAL: "payment", K.CREDIT: "credit",
             K.WRITE_OFF: "write_off"}  # fmt: skip
    groups: dict[tuple, Decimal] = {}
    for e in entries:
        if e.kind == K.CHARGE or e.component == C.OVERPAYMENT:
            continue
        key = (kinds[e.kind], e.booked_on, e.payment_id or 0)
        groups[key] = groups.get(key, Decimal(0)) + e.amount
    return [
        LetterLine(texts.line_label(lang, kind, format_date(day, lang)), amount, kind=kind)
        for (kind, day, _), amount in groups.items()
        if amount
    ]


def _interest_rates(case: Case):
    rules = country_rules(case.country)
    claim = Claim(
        country=case.country,
        debtor_kind=case.debtor.kind,
        capital=Decimal(0),
        earliest_due=dt.date.min,
        fees_charged=Decimal(0),
        contractual_rate=case.creditor.contractual_interest_rate,
    )
    return rules.interest_rates(claim)


def letter_render(*, letter_id: int) -> Letter:
    """Render a pending letter's PDF and keep it: the letter is sent with it. A sent letter is
    left as it was sent. Two workers on one letter (a redelivered task, the sweep, a download)
    render it once: the row lock makes the second wait, and it finds the PDF on file."""
    try:
        with transaction.atomic():
            letter = (
                Letter.objects.select_for_update(of=("self",))
                .select_related("case__creditor", "case__debtor")
                .get(pk=letter_id)
            )
            if letter.status != Letter.Status.SENT:
                _render(letter)
            return letter
    except Letter.DoesNotExist:
        raise
    except Exception as exc:
        _render_failed(letter_id, exc)
        raise


def _render(letter: Letter) -> None:
    """Make the letter's PDF and archive it with its hash and the figures it shows. Refuses a
    sent letter: what went out is never made again, whatever changed since."""
    if letter.status == Letter.Status.SENT or letter.sha256:
        raise LetterAlreadySent(
            f"letter {letter.pk} ({letter.stage}, case {letter.case.number}) was sent on "
            f"{letter.rendered_at:%Y-%m-%d}; its archived PDF is the letter"
        )
    ctx = letter_context(letter=letter)
    if ctx.total != letter.total:
        raise ValueError(f"letter {letter.pk}: lines sum to {ctx.total}, not {letter.total}")
    pdf = render_letter_pdf(ctx)
    letter.figures = ctx.figures()
    filename = f"{letter.case.number}-{letter.stage}.pdf"
    # A render cut off between writing the file and committing (a killed worker) left the file
    # behind: replace it (we hold the row lock), so the letter keeps one file under its name.
    storage, name = letter.file.storage, letter.file.field.generate_filename(letter, filename)
    if storage.exists(name):
        storage.delete(name)
    letter.file.save(filename, ContentFile(pdf), save=False)
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.rendered_at = letter.last_attempt_at = timezone.now()
    letter.status = Letter.Status.SENT
    letter.render_attempts += 1
    letter.last_error = ""
    letter.save(
        update_fields=[
            "file", "sha256", "figures", "rendered_at", "status", "render_attempts",
            "last_error", "last_attempt_at",
        ]
    )  # fmt: skip


def _render_failed(letter_id: int, exc: Exception) -> None:
    """Record the failed attempt; the attempt that reaches the limit puts the case in support's
    queue (once: later attempts, by the sweep, are only recorded on the letter)."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",)).select_related("case").get(pk=letter_id)
        )
        if letter.status == Letter.Status.SENT:
            return  # rendered by another worker meanwhile
        letter.render_attempts += 1
        letter.last_error, letter.last_attempt_at = error, timezone.now()
        letter.save(update_fields=["render_attempts", "last_error", "last_attempt_at"])
        if letter.render_attempts == settings.AUTOCOLLECT_LETTER_RENDER_ATTEMPTS:
            case_flag(
                case=letter.case,
                reason=(
                    f"The {letter.stage} letter of {letter.letter_date} could not be made "
                    f"({letter.render_attempts} attempts; it is retried): {error}"
                ),
                flag="letter_failed",  # cases.describe.FLAGS: the history in the reader's words
                stage=letter.stage,
                date=letter.letter_date.isoformat(),
                attempts=letter.render_attempts,
                error=str(error),
            )


def letters_due_for_render(*, now: dt.datetime, limit: int = 5000) -> list[int]:
    """Pending letters the sweep should render: not the ones just written (their task is on its
    way), and a letter that keeps failing less and less often (every 2^attempts minutes, at
    most daily) so that support can fix the cause and the next sweep sends it."""
    rows = (
        Letter.objects.filter(status=Letter.Status.PENDING, created_at__lte=now - SWEEP_GRACE)
        # Never tried first (a lost task), then the longest waiting.
        .order_by(F("last_attempt_at").asc(nulls_first=True), "created_at", "pk")
        .values_list("pk", "render_attempts", "last_attempt_at")[:limit]
    )
    return [
        pk
        for pk, attempts, last in rows
        if last is None
        or now - last >= min(dt.timedelta(minutes=2 ** min(attempts, 11)), SWEEP_MAX_GAP)
    ]
