"""Settlements: split each payment, and post what the creditor gets as a voucher in its ERP."""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases.models import LedgerEntry, Payment
from integrations.base import SettlementVoucher, VoucherLine, adapter_for
from integrations.errors import ErpError
from settlements.models import Settlement

logger = logging.getLogger("autocollect.settlements")
C = LedgerEntry.Component
ZERO = Decimal("0.00")


def settlement_create(*, payment: Payment, parts: dict[str, Decimal]) -> Settlement:
    """Capital and interest belong to the creditor, fees to the collector; an overpayment is held
    for refund to the debtor. A payment made directly to the creditor moves no money: it is
    recorded, not posted (the creditor booked it in its own ERP)."""
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
    if settlement.status == Settlement.Status.PENDING:
        from settlements import tasks

        transaction.on_commit(lambda: tasks.post_settlement.delay(settlement.pk), robust=True)
    return settlement


def settlement_voucher(settlement: Settlement) -> SettlementVoucher:
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
    return SettlementVoucher(
        external_number=settlement.external_number,
        date=settlement.payment.paid_on,
        description=f"AutoCollect settlement {settlement.external_number} case {case.number}",
        currency=settlement.currency,
        lines=tuple(lines),
    )


def settlement_post(*, settlement_id: int) -> Settlement:
    """Post the voucher into the creditor's ERP. Safe to repeat: the ERP is asked for our
    external number first, and a posted settlement is left alone."""
    settlement = Settlement.objects.select_related(
        "creditor__account_setup", "case", "payment"
    ).get(pk=settlement_id)
    if (
        settlement.status != Settlement.Status.PENDING
        and settlement.status != Settlement.Status.FAILED
    ):
        return settlement
    if not settlement.creditor.account_setup.enabled:
        settlement.status = Settlement.Status.NOT_POSTED
        settlement.save(update_fields=["status"])
        return settlement
    try:
        voucher_id = adapter_for(settlement.creditor).post_settlement_voucher(
            settlement_voucher(settlement)
        )
    except ErpError as exc:
        settlement.status = Settlement.Status.FAILED
        settlement.last_error = str(exc)
        settlement.save(update_fields=["status", "last_error"])
        raise
    settlement.status = Settlement.Status.POSTED
    settlement.erp_voucher_id = voucher_id
    settlement.posted_at = timezone.now()
    settlement.last_error = ""
    settlement.save(update_fields=["status", "erp_voucher_id", "posted_at", "last_error"])
    return settlement


def settlements_retry(*, creditor) -> int:
    """Post the creditor's pending and failed settlements again (idempotent: the ERP is asked
    for our external number first, so a voucher that did arrive is found, not posted twice)."""
    posted = 0
    for pk in (
        Settlement.objects.for_creditor(creditor)
        .filter(status__in=[Settlement.Status.PENDING, Settlement.Status.FAILED])
        .values_list("pk", flat=True)
    ):
        posted += settlement_post(settlement_id=pk).status == Settlement.Status.POSTED
    return posted
