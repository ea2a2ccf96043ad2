"""Payouts: a creditor's pending settlements batched into one transfer to its payout account, and
the one voucher per payout that books them in the creditor's ledger. Sending the remittance and
posting the voucher into the ERP are the layer above's (collection.payouts), under the claim kept
here (payout_post_claim / payout_post_finish)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from cases.models import Invoice
from creditors.models import AccountSetup, Creditor
from settlements import split
from settlements.models import Payout, Settlement, SettlementLine

ZERO = Decimal("0.00")
# A post still marked POSTING after this long is taken for dead (its worker died mid-call) and
# may be taken over. Far longer than the ERP calls of one post can take (timeouts of 35 s each).
POST_LEASE = dt.timedelta(minutes=10)
V = Payout.VoucherStatus


def payout_batch_create(*, creditor: Creditor, today: dt.date) -> list[Payout]:
    """One payout per currency of the creditor's settlements that wait for one, when what they
    add up to is not negative (a negative total, our fees the creditor collected itself, waits to
    be netted against later money). Settlements are locked, so two runs never batch one twice."""
    payouts = []
    with transaction.atomic():
        waiting = list(
            Settlement.objects.for_creditor(creditor)
            .select_for_update(skip_locked=True)
            .filter(status=Settlement.Status.PENDING, payout__isnull=True)
            .values_list("pk", "currency")
        )
        by_currency: dict[str, list[int]] = {}
        for pk, currency in waiting:
            by_currency.setdefault(currency, []).append(pk)
        for currency, pks in sorted(by_currency.items()):
            total = _cash(SettlementLine.objects.filter(settlement_id__in=pks))
            if total < 0:
                continue
            payout = Payout.objects.create(
                creditor=creditor,
                currency=currency,
                amount=total,
                account_kind=creditor.payout_account_kind,
                account=creditor.payout_account,
                created_on=today,
            )
            Settlement.objects.filter(pk__in=pks).update(
                payout=payout, status=Settlement.Status.PAID_OUT
            )
            payouts.append(payout)
    return payouts


def _cash(lines: QuerySet[SettlementLine]) -> Decimal:
    total = lines.filter(kind__in=split.CASH_KINDS).aggregate(t=Sum("amount"))["t"] or ZERO
    return total.quantize(ZERO)  # SQLite sums decimals through floats


def payout_lines(payout: Payout) -> QuerySet[SettlementLine]:
    """Every line the payout pays or books, through its settlements."""
    return (
        SettlementLine.objects.filter(settlement__payout=payout)
        .select_related("settlement__case", "invoice__debtor")
        .order_by("settlement_id", "pk")
    )


def payout_pay(*, payout: Payout) -> Payout:
    """Record the transfer to the creditor's account (the bank order itself is the bank's file,
    outside this service). Paying twice does nothing. A zero payout (bookkeeping only, e.g. a
    write-off) moves no money but is marked paid all the same."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.status == Payout.Status.CREATED:
            payout.status, payout.paid_at = Payout.Status.PAID, timezone.now()
            payout.save(update_fields=["status", "paid_at"])
    return payout


@dataclass(frozen=True)
class VoucherLine:
    account_number: int
    amount: Decimal  # debit positive, credit negative; the lines of a voucher sum to zero
    description: str = ""
    customer_erp_id: str = ""
    invoice_number: str = ""
    vat_code: str = ""


@dataclass(frozen=True)
class Voucher:
    external_number: str  # our payout id: the ERP keeps it, so a second post finds the first
    date: dt.date
    description: str
    currency: str
    lines: tuple[VoucherLine, ...]


def _receivable(setup: AccountSetup, amount: Decimal, invoice: Invoice | None, what: str):
    return VoucherLine(
        setup.receivable_account,
        amount,
        what,
        customer_erp_id=invoice.debtor.erp_id if invoice else "",
        invoice_number=invoice.number if invoice else "",
    )


def payout_voucher(payout: Payout) -> Voucher:
    """The payout in the creditor's ledger (seed 001 "Kontooppsett"): the payout on the clearing
    account (bankkonto motpost, 1550); capital against the receivable per invoice (which closes
    the invoice in the ERP); interest and the creditor's fees on their income accounts; the VAT
    we invoice on the cost account with the creditor's VAT code; our fees the creditor received
    directly back on the receivable; capital written off from the receivable to the loss account.
    Debits and credits balance by construction (each line has its counterpart)."""
    setup = AccountSetup.objects.get_or_create(creditor_id=payout.creditor_id)[0]
    out = [
        VoucherLine(setup.clearing_account, payout.amount, f"AutoCollect {payout.external_number}")
    ]
    for line in payout_lines(payout):
        case = line.settlement.case.number
        invoice, amount = line.invoice, line.amount
        what = f"AutoCollect {case}" + (f" invoice {invoice.number}" if invoice else "")
        if line.kind in (split.CAPITAL, split.BYPASS_FEES):
            label = what if line.kind == split.CAPITAL else f"{what}: fees paid to you directly"
            out.append(_receivable(setup, -amount, invoice, label))
        elif line.kind == split.INTEREST:
            out.append(VoucherLine(setup.interest_income_account, -amount, f"{what} interest"))
        elif line.kind == split.FEE_INCOME:
            out.append(VoucherLine(setup.fee_income_account, -amount, f"{what} fees"))
        elif line.kind == split.REMINDER_FEE_VAT:
            out.append(
                VoucherLine(
                    setup.vat_cost_account,
                    -amount,
                    f"{what} VAT on reminder fees",
                    vat_code=setup.vat_code,
                )
            )
        elif line.kind == split.LOSS:
            out.append(VoucherLine(setup.loss_account, amount, f"{what} written off"))
            out.append(_receivable(setup, -amount, invoice, f"{what} written off"))
        elif line.kind in (split.DIRECT_INTEREST, split.DIRECT_FEE_INCOME):
            income = (
                setup.interest_income_account
                if line.kind == split.DIRECT_INTEREST
                else setup.fee_income_account
            )
            out.append(_receivable(setup, amount, invoice, f"{what} paid to you directly"))
            out.append(VoucherLine(income, -amount, f"{what} paid to you directly"))
        else:
            raise ValueError(f"no posting for settlement line kind {line.kind!r}")
    return Voucher(
        external_number=payout.external_number,
        date=payout.created_on,
        description=f"AutoCollect payout {payout.external_number}",
        currency=payout.currency,
        lines=tuple(line for line in out if line.amount),
    )


def payout_post_claim(payout_id: int) -> tuple[Payout, bool, bool]:
    """Lock the row and, if its voucher is to be posted, mark the attempt (POSTING) and commit.
    Returns the payout, whether this attempt is ours to make, and whether no earlier attempt can
    have reached the ERP. Bookkeeping switched off: marked not posted."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update(of=("self",)).get(pk=payout_id)
        now = timezone.now()
        abandoned = (
            payout.voucher_status == V.POSTING
            and payout.post_attempted_at is not None
            and payout.post_attempted_at < now - POST_LEASE
        )
        if payout.voucher_status not in (V.PENDING, V.FAILED) and not abandoned:
            return payout, False, False
        setup = AccountSetup.objects.get_or_create(creditor_id=payout.creditor_id)[0]
        if not setup.enabled:
            payout.voucher_status = V.NOT_POSTED
            payout.save(update_fields=["voucher_status"])
            return payout, False, False
        first_attempt = payout.post_attempts == 0
        payout.voucher_status = V.POSTING
        payout.post_attempts += 1
        payout.post_attempted_at = now
        payout.save(update_fields=["voucher_status", "post_attempts", "post_attempted_at"])
    # Inside a caller's transaction the claim is not committed yet and may be rolled back after
    # the call: then the next attempt could not tell, so this one asks the ERP first.
    return payout, True, first_attempt and not transaction.get_connection().in_atomic_block


def payout_post_finish(payout: Payout, **fields) -> None:
    """Record the outcome of our attempt, unless a later attempt took the payout over (ours
    outlived POST_LEASE): its own outcome stands."""
    updated = Payout.objects.filter(
        pk=payout.pk, voucher_status=V.POSTING, post_attempts=payout.post_attempts
    ).update(**fields)
    if updated:
        for name, value in fields.items():
            setattr(payout, name, value)
    else:
        payout.refresh_from_db()


def payouts_to_post(*, creditor: Creditor) -> QuerySet[Payout]:
    """The creditor's paid payouts whose voucher is pending or failed, or abandoned mid-call."""
    abandoned = Q(voucher_status=V.POSTING, post_attempted_at__lt=timezone.now() - POST_LEASE)
    return Payout.objects.for_creditor(creditor).filter(
        Q(voucher_status__in=[V.PENDING, V.FAILED]) | abandoned, status=Payout.Status.PAID
    )
