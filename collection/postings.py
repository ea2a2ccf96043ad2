"""Settlement vouchers posted into the creditor's ERP, at most once. settlements/ builds the voucher
and keeps the claim on its row; this layer maps it to the ERP's record and makes the call. An ERP
that takes no vouchers (Inexchange) gets none: its settlements are marked not posted."""

import logging

from django.db import transaction
from django.utils import timezone

from collection.erp import adapter_for, erp_has
from integrations.base import SettlementVoucher, VoucherLine
from integrations.errors import ErpError
from integrations.features import Feature
from settlements.models import Settlement
from settlements.services import (
    settlement_post_claim,
    settlement_post_finish,
    settlement_voucher,
    settlements_to_post,
)

logger = logging.getLogger("integrations.sync")


def erp_voucher(settlement: Settlement) -> SettlementVoucher:
    """The settlement's voucher as the integrations layer's plain record."""
    voucher = settlement_voucher(settlement)
    return SettlementVoucher(
        external_number=voucher.external_number,
        date=voucher.date,
        description=voucher.description,
        currency=voucher.currency,
        lines=tuple(
            VoucherLine(
                account_number=line.account_number,
                amount=line.amount,
                description=line.description,
                customer_erp_id=line.customer_erp_id,
                invoice_number=line.invoice_number,
            )
            for line in voucher.lines
        ),
    )


def settlement_post(*, settlement_id: int) -> Settlement:
    """Post the voucher into the creditor's ERP, at most once, even against an ERP that would
    take the same voucher twice. The attempt is claimed under the row lock and committed before
    the call, so a concurrent post sees it and keeps off the ERP. An attempt after an earlier one
    (failed, or its worker died mid-call) first asks the ERP for our external number."""
    settlement, claimed, first_attempt = settlement_post_claim(settlement_id)
    if not claimed:
        return settlement  # posted, nothing to post, or being posted by someone else
    if not erp_has(settlement.creditor, Feature.POST_VOUCHER):
        settlement_post_finish(settlement, status=Settlement.Status.NOT_POSTED, last_error="")
        return settlement
    adapter = adapter_for(settlement.creditor)
    try:
        voucher_id = (
            None if first_attempt else adapter.find_settlement_voucher(settlement.external_number)
        )
        if voucher_id is None:
            voucher_id = adapter.post_settlement_voucher(erp_voucher(settlement))
    except Exception as exc:
        # The voucher may have arrived all the same (a timeout): the next attempt asks first.
        settlement_post_finish(
            settlement, status=Settlement.Status.FAILED, last_error=str(exc) or repr(exc)
        )
        raise
    settlement_post_finish(
        settlement,
        status=Settlement.Status.POSTED,
        erp_voucher_id=voucher_id,
        posted_at=timezone.now(),
        last_error="",
    )
    return settlement


def settlements_retry(*, creditor) -> int:
    """Post the creditor's pending and failed settlements again, and take over posts abandoned
    mid-call (idempotent: a settlement tried before is looked up in the ERP by our external number
    first, so a voucher that did arrive is found, not posted twice). One the ERP refuses (a
    closed period, an account it lacks) or cannot take now stays failed with the reason, for
    support and the next try; the others go on. Returns how many were posted."""
    posted = 0
    for pk in settlements_to_post(creditor=creditor).values_list("pk", flat=True):
        try:
            posted += settlement_post(settlement_id=pk).status == Settlement.Status.POSTED
        except ErpError as exc:
            logger.warning("settlement %s of %s not posted again: %s", pk, creditor, exc)
    return posted


def post_after_commit(settlement: Settlement | None) -> None:
    """Queue the post of a settlement that waits for one, once its payment is committed."""
    if settlement is None or settlement.status != Settlement.Status.PENDING:
        return
    from collection import tasks

    transaction.on_commit(lambda: tasks.post_settlement.delay(settlement.pk), robust=True)
