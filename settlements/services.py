"""Settlements: what each payment (or the close of a case) changes between the creditor and us,
as lines (settlements.split), kept until a payout takes them (settlements.payouts)."""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from cases.models import Case, LedgerEntry, Payment
from cases.payments import payment_register, payment_reverse
from settlements import split
from settlements.models import Settlement, SettlementLine
from settlements.position import case_position

logger = logging.getLogger("autocollect.settlements")
C = LedgerEntry.Component
ZERO = Decimal("0.00")

# VAT we invoice the creditor on the reminder fees we keep, by country, newest first: (valid
# from, percent). Seed 002 (Visma Spcs, Sweden): "Visma Amili måste därefter fakturera momsen på
# påminnelseavgifterna till den som har beställt tjänsten"; 25 % is the Swedish standard rate
# (mervärdesskattelagen 2023:200 9 kap. 1 §, 25 % since 1990). The Norwegian and Finnish guides
# say no such thing: no VAT is invoiced there.
REMINDER_FEE_VAT = {"SE": ((dt.date(1990, 7, 1), Decimal("25")),)}


def reminder_fee_vat_rate(country: str, on: dt.date) -> Decimal | None:
    return next((rate for since, rate in REMINDER_FEE_VAT.get(country, ()) if since <= on), None)


@dataclass(frozen=True)
class Settled:
    payment: Payment
    settlement: Settlement | None  # None: the same payment again, settled the first time
    closed: bool  # the payment closed its case


def payment_settle(
    *,
    case: Case,
    source: str,
    external_id: str,
    amount: Decimal,
    paid_on: dt.date,
    reference: str = "",
) -> Settled:
    """Book the payment on its case (cases.payments.payment_register) and settle it, in one
    transaction. The same payment twice books and settles nothing the second time."""
    with transaction.atomic():
        booked = payment_register(
            case=case,
            source=source,
            external_id=external_id,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
        )
        settlement = (
            settlement_create(payment=booked.payment, parts=booked.parts)
            if booked.created
            else None
        )
    return Settled(booked.payment, settlement, booked.closed)


def _settled_so_far(case: Case) -> tuple[dict[split.Key, Decimal], Decimal]:
    """The case's lines so far, summed by (kind, invoice), and the fees kept so far."""
    totals: dict[split.Key, Decimal] = {}
    rows = SettlementLine.objects.filter(settlement__case_id=case.pk).values_list(
        "kind", "invoice_id", "amount"
    )
    for kind, invoice, amount in rows:
        totals[(kind, invoice)] = totals.get((kind, invoice), ZERO) + amount
    kept = Settlement.objects.filter(case_id=case.pk).aggregate(t=Sum("to_collector"))["t"]
    return totals, (kept or ZERO).quantize(ZERO)


def _settle(case: Case, **fields) -> Settlement:
    """Bring the case's settled lines up to what its agreement's split says now. The caller holds
    the case's row lock (the payment or the close just booked) and passes the case as locked,
    with its creditor."""
    position = case_position(case)
    terms = split.Terms(vat_rate=reminder_fee_vat_rate(case.country, dt.date.today()))
    target = split.SPLITS[case.creditor.agreement_type](position, terms)
    before, kept_before = _settled_so_far(case)
    changes = split.delta(target, before)
    settlement = Settlement.objects.create(
        creditor_id=case.creditor_id,
        case_id=case.pk,
        currency=case.currency,
        to_creditor=sum((v for (k, _), v in changes.items() if k in split.CASH_KINDS), ZERO),
        to_collector=target.fees_kept - kept_before,
        status=Settlement.Status.PENDING if changes else Settlement.Status.NOTHING,
        **fields,
    )
    SettlementLine.objects.bulk_create(
        SettlementLine(
            creditor_id=case.creditor_id,
            settlement=settlement,
            kind=kind,
            invoice_id=invoice,
            amount=amount,
        )
        for (kind, invoice), amount in changes.items()
    )
    return settlement


def settlement_create(*, payment: Payment, parts: dict[str, Decimal]) -> Settlement:
    """The settlement of a payment just booked: its ledger allocation (the debtor's side) and the
    lines that bring the creditor's side up to date. A payment to the creditor directly moves no
    money to us: its lines net what we owe (or claim our fees the creditor now holds)."""
    return _settle(
        payment.case,  # as cases.payments locked it, with its creditor
        payment=payment,
        kind=Settlement.Kind.PAYMENT,
        capital=parts.get(C.CAPITAL, ZERO),
        interest=parts.get(C.INTEREST, ZERO),
        fees=parts.get(C.FEE, ZERO),
        overpayment=parts.get(C.OVERPAYMENT, ZERO),
    )


def payment_reverse_settle(*, payment: Payment, reversal_id: str, on: dt.date) -> Settlement | None:
    """Reverse a booked payment on its case (cases.payments.payment_reverse) and settle the
    reversal, in one transaction: the split is cumulative, so with the payment gone from the
    case's position the new lines are the negative difference that takes back what its
    settlement gave (capital paid over comes back from the creditor; bypass fees claimed are
    released). None when the payment was reversed before (nothing booked, nothing settled)."""
    with transaction.atomic():
        reversed_ = payment_reverse(payment=payment, reversal_id=reversal_id, on=on)
        if not reversed_.created:
            return None
        parts = reversed_.parts
        return _settle(
            reversed_.case,
            kind=Settlement.Kind.REVERSAL,
            capital=-parts.get(C.CAPITAL, ZERO),
            interest=-parts.get(C.INTEREST, ZERO),
            fees=-parts.get(C.FEE, ZERO),
            overpayment=-parts.get(C.OVERPAYMENT, ZERO),
        )


def case_close_settle(*, case: Case) -> Settlement | None:
    """A case closed by a write-off or a withdrawal: settle what was paid so far. Nothing more
    comes in on it, so we keep the fees the debtor paid, even those we paid over while its capital
    was still owed, and a write-off books the capital lost. Once per case (a payment after a
    write-off settles as payments do); None when the case is not closed."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",)).select_related("creditor").get(pk=case.pk)
        )
        if case.status != Case.Status.CLOSED:
            return None
        existing = Settlement.objects.filter(case=case, kind=Settlement.Kind.CLOSE).first()
        if existing:
            return existing
        settlement = _settle(
            case,
            kind=Settlement.Kind.CLOSE,
            capital=ZERO,
            interest=ZERO,
            fees=ZERO,
            overpayment=ZERO,
        )
        return settlement
