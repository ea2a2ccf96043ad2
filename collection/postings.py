"""Payout vouchers posted into the creditor's ERP, at most once. settlements.payouts builds the
voucher and keeps the claim on the payout's row; this layer maps it to the ERP's record and makes
the call. An ERP that takes no vouchers (Inexchange) gets none: its payouts are marked not posted
(the remittance is all the creditor gets). One voucher per payout: the settlements of a payout are
booked together, not one voucher per payment as before payouts (settlements migration 0005)."""

import logging

from django.utils import timezone

from collection.erp import adapter_for, erp_has
from integrations.base import SettlementVoucher, VoucherLine
from integrations.errors import ErpError
from integrations.features import Feature
from settlements.models import Payout
from settlements.payouts import (
    payout_post_claim,
    payout_post_finish,
    payout_voucher,
    payouts_to_post,
)

logger = logging.getLogger("integrations.sync")
V = Payout.VoucherStatus


def erp_voucher(payout: Payout) -> SettlementVoucher:
    """The payout's voucher as the integrations layer's plain record (which checks it balances)."""
    voucher = payout_voucher(payout)
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
                vat_code=line.vat_code,
            )
            for line in voucher.lines
        ),
    )


def payout_post(*, payout_id: int) -> Payout:
    """Post the payout's voucher into the creditor's ERP, at most once, even against an ERP that
    would take the same voucher twice. The attempt is claimed under the row lock and committed
    before the call, so a concurrent post sees it and keeps off the ERP. An attempt after an
    earlier one (failed, or its worker died mid-call) first asks the ERP for our external
    number. On failure the payout stays to be posted (FAILED, with the reason) for the next run."""
    payout, claimed, first_attempt = payout_post_claim(payout_id)
    if not claimed:
        return payout  # posted, nothing to post, or being posted by someone else
    if not erp_has(payout.creditor, Feature.POST_VOUCHER):
        payout_post_finish(payout, voucher_status=V.NOT_POSTED, last_error="")
        return payout
    try:
        adapter = adapter_for(payout.creditor)
        voucher_id = (
            None if first_attempt else adapter.find_settlement_voucher(payout.external_number)
        )
        if voucher_id is None:
            voucher_id = adapter.post_settlement_voucher(erp_voucher(payout))
    except Exception as exc:
        # The voucher may have arrived all the same (a timeout): the next attempt asks first.
        payout_post_finish(payout, voucher_status=V.FAILED, last_error=str(exc) or repr(exc))
        raise
    payout_post_finish(
        payout,
        voucher_status=V.POSTED,
        erp_voucher_id=voucher_id,
        posted_at=timezone.now(),
        last_error="",
    )
    return payout


def payouts_retry(*, creditor) -> int:
    """Post the creditor's pending and failed payout vouchers again, and take over posts
    abandoned mid-call (idempotent: a payout tried before is looked up in the ERP by our external
    number first). One the ERP refuses (a closed period, an account it lacks) or cannot take now
    stays failed with the reason, for support and the next try; the others go on. Returns how many
    were posted."""
    posted = 0
    for pk in payouts_to_post(creditor=creditor).values_list("pk", flat=True):
        try:
            posted += payout_post(payout_id=pk).voucher_status == V.POSTED
        except ErpError as exc:
            logger.warning("payout %s of %s not posted: %s", pk, creditor, exc)
        except Exception:  # recorded on the payout (failed, with the reason); the others go on
            logger.exception("payout %s of %s not posted", pk, creditor)
    return posted
