"""Settlements: split each payment, and build what the creditor gets as a voucher for its ledger.
Posting the voucher into the creditor's ERP is the layer above's (collection.postings), under the
claim these services keep (settlement_post_claim / settlement_post_finish)."""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case, LedgerEntry, Payment
from cases.payments import payment_register
from settlements.models import Settlement

logger = logging.getLogger("autocollect.settlements")
C = LedgerEntry.Component
ZERO = Decimal("0.00")
# A post still marked POSTING after this long is taken for dead (its worker died mid-call) and
# may be taken over. Far longer than the ERP calls of one post can take (timeouts of 35 s each).
POST_LEASE = dt.timedelta(minutes=10)


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


def settlement_create(*, payment: Payment, parts: dict[str, Decimal]) -> Settlement:
    """Capital and interest belong to the creditor, fees to the collector; an overpayment is held
    for refund to the debtor. A payment made directly to the creditor moves no money: it is
    recorded, not posted (the creditor booked it in its own ERP). A PENDING settlement waits
    for the layer above to post it (collection.postings)."""
    capital = parts.get(C.CAPITAL, ZERO)
    interest = parts.get(C.INTEREST, ZERO)
    fees = parts.get(C.FEE, ZERO)
    collected_by_us = payment.source == Payment.Source.COLLECTOR
    settlement = Settlement.objects.create(
        creditor_id=payment.creditor_id,
        case_id=payment.case_id,
        payment=payment,
        currency=payment.currency,
        capital=capital,
        interest=interest,
        fees=fees,
        overpayment=parts.get(C.OVERPAYMENT, ZERO),
        to_creditor=capital + interest if collected_by_us else ZERO,
        to_collector=fees if collected_by_us else ZERO,
        # Nothing to book in the creditor's ledger when nothing goes to the creditor.
        status=(
            Settlement.Status.PENDING
            if collected_by_us and capital + interest > 0
            else Settlement.Status.NOT_POSTED
        ),
    )
    return settlement


@dataclass(frozen=True)
class VoucherLine:
    account_number: int
    amount: Decimal  # debit positive, credit negative; the lines of a voucher sum to zero
    description: str = ""
    customer_erp_id: str = ""
    invoice_number: str = ""


@dataclass(frozen=True)
class Voucher:
    external_number: str  # our settlement id: the ERP keeps it, so a second post finds the first
    date: dt.date
    description: str
    currency: str
    lines: tuple[VoucherLine, ...]


def settlement_voucher(settlement: Settlement) -> Voucher:
    """Debit the clearing account with the payout; credit the receivable per invoice (which
    closes the invoice in the ERP) and the interest income."""
    creditor = settlement.creditor
    setup = creditor.account_setup
    case = settlement.case
    lines = [
        VoucherLine(setup.clearing_account, settlement.to_creditor, f"AutoCollect {case.number}")
    ]
    capital_entries = LedgerEntry.objects.filter(
        payment=settlement.payment, component=C.CAPITAL
    ).select_related("invoice", "invoice__debtor")
    for entry in capital_entries:
        invoice = entry.invoice
        lines.append(
            VoucherLine(
                setup.receivable_account,
                entry.amount,  # entry is negative: a credit
                f"AutoCollect {case.number} invoice {invoice.number}",
                customer_erp_id=invoice.debtor.erp_id,
                invoice_number=invoice.number,
            )
        )
    if settlement.interest:
        lines.append(
            VoucherLine(
                setup.fee_income_account,
                -settlement.interest,
                f"AutoCollect {case.number} interest",
            )
        )
    return Voucher(
        external_number=settlement.external_number,
        date=settlement.payment.paid_on,
        description=f"AutoCollect settlement {settlement.external_number} case {case.number}",
        currency=settlement.currency,
        lines=tuple(lines),
    )


def settlement_post_claim(settlement_id: int) -> tuple[Settlement, bool, bool]:
    """Lock the row and, if it is to be posted, mark the attempt (status POSTING) and commit.
    Returns the settlement, whether this attempt is ours to make, and whether no earlier attempt
    can have reached the ERP."""
    with transaction.atomic():
        settlement = (
            Settlement.objects.select_for_update(of=("self",))
            .select_related("creditor__account_setup", "case", "payment")
            .get(pk=settlement_id)
        )
        now = timezone.now()
        postable = (Settlement.Status.PENDING, Settlement.Status.FAILED)
        abandoned = (
            settlement.status == Settlement.Status.POSTING
            and settlement.post_attempted_at is not None
            and settlement.post_attempted_at < now - POST_LEASE
        )
        if settlement.status not in postable and not abandoned:
            return settlement, False, False
        if not settlement.creditor.account_setup.enabled:
            settlement.status = Settlement.Status.NOT_POSTED
            settlement.save(update_fields=["status"])
            return settlement, False, False
        first_attempt = settlement.post_attempts == 0
        settlement.status = Settlement.Status.POSTING
        settlement.post_attempts += 1
        settlement.post_attempted_at = now
        settlement.save(update_fields=["status", "post_attempts", "post_attempted_at"])
    # Inside a caller's transaction the claim is not committed yet and may be rolled back after
    # the call: then the next attempt could not tell, so this one asks the ERP first.
    return settlement, True, first_attempt and not transaction.get_connection().in_atomic_block


def settlement_post_finish(settlement: Settlement, **fields) -> None:
    """Record the outcome of our attempt, unless a later attempt took the settlement over (ours
    outlived POST_LEASE): its own outcome stands."""
    updated = Settlement.objects.filter(
        pk=settlement.pk,
        status=Settlement.Status.POSTING,
        post_attempts=settlement.post_attempts,
    ).update(**fields)
    if updated:
        for name, value in fields.items():
            setattr(settlement, name, value)
    else:
        settlement.refresh_from_db()


def settlements_to_post(*, creditor) -> QuerySet[Settlement]:
    """The creditor's pending and failed settlements, and posts abandoned mid-call."""
    abandoned = Q(
        status=Settlement.Status.POSTING, post_attempted_at__lt=timezone.now() - POST_LEASE
    )
    return Settlement.objects.for_creditor(creditor).filter(
        Q(status__in=[Settlement.Status.PENDING, Settlement.Status.FAILED]) | abandoned
    )
