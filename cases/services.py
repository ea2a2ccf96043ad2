"""Writes on cases: open, advance, close, payments. Each service is atomic and guards state."""

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cases import ledger
from cases.lifecycle import LETTER_STAGES, next_stage, transition
from cases.models import Case, CaseEvent, Debtor, Invoice, LedgerEntry, Payment
from cases.references import reference_for_case
from cases.rules import days_to_pay, stage_fee

logger = logging.getLogger("autocollect.cases")
C = LedgerEntry.Component
CASE_NUMBER_OFFSET = 1_000_000


def _event(case: Case, kind: str, message: str = "", **data) -> CaseEvent:
    return CaseEvent.objects.create(
        creditor_id=case.creditor_id, case=case, kind=kind, message=message, data=data
    )


def _after_commit(task, *args) -> None:
    # robust: a failing write-back (ERP down) must not undo or fail the committed work; the
    # task records and retries it.
    transaction.on_commit(lambda: task.delay(*args), robust=True)


@transaction.atomic
def case_open(*, creditor, debtor: Debtor, invoices: list[Invoice], today: dt.date) -> Case:
    """Open a case on invoices that have none; the first letter goes out on the next advance."""
    if not invoices:
        raise ValueError("a case needs at least one invoice")
    case = Case.objects.create(
        creditor=creditor,
        debtor=debtor,
        country=creditor.country,
        currency=invoices[0].currency,
        opened_on=today,
        next_action_on=today,
    )
    case.number = str(CASE_NUMBER_OFFSET + case.pk)
    case.payment_reference = reference_for_case(creditor.country, case.number)
    case.save(update_fields=["number", "payment_reference"])
    for invoice in invoices:
        if invoice.currency != case.currency:
            raise ValueError(
                f"invoice {invoice.number} is in {invoice.currency}, case in {case.currency}"
            )
        invoice.case = case
        invoice.save(update_fields=["case"])
        LedgerEntry.objects.create(
            creditor=creditor,
            case=case,
            kind=LedgerEntry.Kind.CHARGE,
            component=C.CAPITAL,
            amount=invoice.outstanding_amount,
            booked_on=today,
            invoice=invoice,
            description=f"Invoice {invoice.number}",
            key=f"capital:invoice:{invoice.pk}",
        )
    _event(
        case,
        "opened",
        f"Case opened on invoice(s) {', '.join(i.number for i in invoices)}",
        invoices=[i.number for i in invoices],
    )
    from cases import tasks

    _after_commit(tasks.write_case_reference, case.pk)
    return case


def case_advance(*, case_id: int, today: dt.date) -> str | None:
    """Do the case's due action: send the next stage's letter (with its fee) or ask the creditor
    to decide. Returns the stage entered, or None when nothing was due (safe to call twice)."""
    from letters.services import letter_send

    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("creditor", "debtor").get(pk=case_id)
        if (
            case.status != Case.Status.OPEN
            or not case.next_action_on
            or case.next_action_on > today
        ):
            return None
        stage = next_stage(case)
        if stage is None:
            case.next_action_on = None
            case.save(update_fields=["next_action_on"])
            return None
        transition(case, stage)
        if stage in LETTER_STAGES:
            _charge_stage_fee(case, stage, today)
            letter = letter_send(case=case, stage=stage, today=today)
            # The day after the debtor's deadline the next step is due.
            case.next_action_on = letter.pay_by + dt.timedelta(days=1)
        else:
            # Decision: the creditor is asked; nothing happens automatically until it answers.
            case.next_action_on = None
            _event(case, "decision_requested", "The creditor is asked to decide the next step")
        case.save(update_fields=["next_action_on"])
        return stage


def _charge_stage_fee(case: Case, stage: str, today: dt.date) -> None:
    invoices = list(case.invoices.all())
    capital = sum((i.outstanding_amount for i in invoices), Decimal(0))
    fee = stage_fee(
        country=case.country,
        stage=stage,
        on=today,
        debtor_kind=case.debtor.kind,
        capital=capital,
        earliest_due=min(i.due_date for i in invoices),
    )
    if fee > 0:
        LedgerEntry.objects.get_or_create(
            case=case,
            key=f"fee:{stage}",
            defaults={
                "creditor_id": case.creditor_id,
                "kind": LedgerEntry.Kind.CHARGE,
                "component": C.FEE,
                "amount": fee,
                "booked_on": today,
                "description": f"{Case.Stage(stage).label} fee",
            },
        )


def pay_by_date(case: Case, stage: str, today: dt.date) -> dt.date:
    from cases.calendar import deadline

    return deadline(case.country, today, days_to_pay(country=case.country, stage=stage, on=today))


def case_close(*, case: Case, outcome: str, message: str = "") -> None:
    """Close the case (the caller holds its lock). Closing twice is a no-op."""
    if case.status == Case.Status.CLOSED:
        return
    case.status = Case.Status.CLOSED
    case.outcome = outcome
    case.next_action_on = None
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "outcome", "next_action_on", "closed_at"])
    _event(case, "closed", message or f"Case closed: {outcome}", outcome=outcome)
    from cases import tasks

    _after_commit(tasks.write_case_reference, case.pk)


def payment_register(
    *,
    case: Case,
    source: str,
    external_id: str,
    amount: Decimal,
    paid_on: dt.date,
    reference: str = "",
) -> Payment:
    """Book a payment on the case: allocate it, settle it, close the case when nothing is owed.
    The same (source, external_id) twice returns the first payment and books nothing."""
    from settlements.services import settlement_create

    if amount <= 0:
        raise ValueError("a payment amount must be positive")
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("debtor").get(pk=case.pk)
        existing = Payment.objects.filter(
            creditor_id=case.creditor_id, source=source, external_id=external_id
        ).first()
        if existing:
            return existing
        order = ledger.allocation_order(case)
        parts = ledger.split(amount, ledger.balances(case), order)
        payment = Payment.objects.create(
            creditor_id=case.creditor_id,
            case=case,
            source=source,
            external_id=external_id,
            amount=amount,
            currency=case.currency,
            paid_on=paid_on,
            reference=reference,
            allocation_order=",".join(order),
        )
        _book_allocation(case, payment, parts)
        _event(
            case,
            "payment",
            f"Payment of {amount} {case.currency} ({source})",
            payment=payment.pk,
            allocation={k: str(v) for k, v in parts.items()},
        )
        settlement_create(payment=payment, parts=parts)
        if ledger.outstanding(case) <= 0:
            case_close(case=case, outcome=Case.Outcome.PAID)
    return payment


def _book_allocation(case: Case, payment: Payment, parts: dict[str, Decimal]) -> None:
    def entry(component, amount, key_suffix, invoice=None):
        LedgerEntry.objects.create(
            creditor_id=case.creditor_id,
            case=case,
            kind=LedgerEntry.Kind.PAYMENT,
            component=component,
            amount=-amount,
            booked_on=payment.paid_on,
            payment=payment,
            invoice=invoice,
            key=f"payment:{payment.pk}:{key_suffix}",
        )

    for component, amount in parts.items():
        if component == C.CAPITAL:
            for invoice, share in _capital_by_invoice(case, amount):
                entry(C.CAPITAL, share, f"capital:{invoice.pk}", invoice)
        else:
            entry(component, amount, component)


def _capital_by_invoice(case: Case, amount: Decimal):
    """Capital goes to the oldest invoice first."""
    owed = dict(
        LedgerEntry.objects.filter(case=case, component=C.CAPITAL)
        .values_list("invoice")
        .annotate(total=Sum("amount"))
    )
    left = amount
    for invoice in case.invoices.order_by("due_date", "pk"):
        share = min(left, owed.get(invoice.pk, Decimal(0)))
        if share > 0:
            yield invoice, share
            left -= share


class UnmatchedPayment(LookupError):
    pass


def payment_receive(
    *, reference: str, amount: Decimal, paid_on: dt.date, external_id: str
) -> Payment:
    """A payment to our account, matched to its case by the payment reference."""
    case = Case.objects.filter(payment_reference=reference.replace(" ", "")).first()
    if case is None:
        raise UnmatchedPayment(f"no case has payment reference {reference!r}")
    return payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id=external_id,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
    )
