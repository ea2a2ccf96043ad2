"""A case's money so far, read from its ledger, for settlements.split: one grouped query."""

from decimal import Decimal

from django.db.models import Sum

from cases.models import Case, LedgerEntry, Payment
from settlements.split import ZERO, Position

C = LedgerEntry.Component
K = LedgerEntry.Kind
REMINDER_FEE_KEYS = ("fee:reminder",)  # the reminder stage's fee; other fees are collection fees
WRITE_OFFS = (K.WRITE_OFF, K.WRITE_OFF_REVERSAL)


def case_position(case: Case) -> Position:
    """Everything the creditor/us split needs, from the case's ledger entries grouped by kind,
    component, invoice, paying source and whether the entry is the reminder fee."""
    rows = (
        LedgerEntry.objects.filter(case_id=case.pk)
        .values("kind", "component", "invoice_id", "invoice__due_date", "payment__source", "key")
        .annotate(total=Sum("amount"))
    )
    closed = case.status == Case.Status.CLOSED
    charged_capital: dict[int, Decimal] = {}  # charged less credited, per invoice
    paid_capital: dict[int, Decimal] = {}
    written_off: dict[int, Decimal] = {}
    due: dict[int, object] = {}  # invoice -> its due date, for the oldest-first order
    interest_charged = interest_paid = ZERO
    reminder_charged = fees_paid = ZERO
    money_to_us = money_direct = ZERO
    for row in rows:
        kind, component, invoice = row["kind"], row["component"], row["invoice_id"]
        amount = (row["total"] or ZERO).quantize(ZERO)
        if invoice is not None:
            due[invoice] = row["invoice__due_date"]
        if kind == K.PAYMENT:
            if component == C.OVERPAYMENT:
                continue
            paid = -amount
            if row["payment__source"] == Payment.Source.COLLECTOR:
                money_to_us += paid
            else:
                money_direct += paid
            if component == C.CAPITAL:
                paid_capital[invoice] = paid_capital.get(invoice, ZERO) + paid
            elif component == C.INTEREST:
                interest_paid += paid
            elif component == C.FEE:
                fees_paid += paid
        elif kind in WRITE_OFFS:
            if component == C.CAPITAL:  # a write-off names no invoice (cases.services)
                written_off[invoice] = written_off.get(invoice, ZERO) - amount
        elif component == C.CAPITAL:
            charged_capital[invoice] = charged_capital.get(invoice, ZERO) + amount
        elif component == C.INTEREST:
            interest_charged += amount
        elif component == C.FEE and _reminder_key(row["key"]):
            reminder_charged += amount
    invoices = list(case.invoices.order_by("due_date", "pk").values_list("pk", flat=True))
    _spread_write_off(written_off, invoices, charged_capital, paid_capital)
    capital = paid_capital if closed else charged_capital
    reminder_paid = min(fees_paid, max(reminder_charged, ZERO))
    return Position(
        money_to_us=money_to_us,
        money_direct=money_direct,
        capital_claim=tuple(
            (inv, max(capital.get(inv, ZERO), ZERO)) for inv in invoices if capital.get(inv)
        ),
        interest_claim=max(interest_paid if closed else interest_charged, ZERO),
        reminder_fee_claim=reminder_paid if closed else max(reminder_charged, ZERO),
        fees_paid=fees_paid,
        reminder_fees_paid=reminder_paid,
        written_off=tuple(
            (inv, written_off[inv]) for inv in invoices if written_off.get(inv, ZERO) > 0
        ),
        last_invoice=invoices[-1] if invoices else None,
    )


def _reminder_key(key: str) -> bool:
    """The reminder fee's charge ("fee:reminder") and its credits ("credit:fee:reminder")."""
    return key in REMINDER_FEE_KEYS or key.removeprefix("credit:") in REMINDER_FEE_KEYS


def _spread_write_off(written_off, invoices, charged, paid) -> None:
    """Capital written off without an invoice goes to the invoices whose capital was left unpaid,
    oldest first (the rest, if any, to the newest)."""
    left = written_off.pop(None, ZERO)
    for inv in invoices:
        if left <= 0:
            break
        unpaid = charged.get(inv, ZERO) - paid.get(inv, ZERO) - written_off.get(inv, ZERO)
        share = min(left, max(unpaid, ZERO))
        if share:
            written_off[inv] = written_off.get(inv, ZERO) + share
            left -= share
    if left and invoices:
        written_off[invoices[-1]] = written_off.get(invoices[-1], ZERO) + left
