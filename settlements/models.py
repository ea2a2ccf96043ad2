from django.db import models
from django.utils.translation import gettext_lazy as _

from creditors.fields import MoneyField
from creditors.tenancy import TenantModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Payout(TenantModel):
    """One transfer to the creditor's payout account: the settlements it pays (every line reachable
    through them), the remittance sent to the contact, and the one voucher posted into the ERP."""

    class Status(models.TextChoices):
        CREATED = "created", _("Created")  # batched, not yet paid
        PAID = "paid", _("Paid")  # transfer made (a zero payout: bookkeeping only)

    class VoucherStatus(models.TextChoices):
        PENDING = "pending", _("Waiting to be posted")
        # A post is under way (or its worker died mid-call): claimed and committed before the
        # ERP is called, so a second post sees it and keeps off the ERP.
        POSTING = "posting", _("Being posted")
        POSTED = "posted", _("Posted")
        NOT_POSTED = "not_posted", _("Not posted")  # bookkeeping off, or the ERP takes no vouchers
        FAILED = "failed", _("Failed, retried")

    currency = models.CharField(max_length=3)
    amount = MoneyField(**MONEY)  # the sum of its settlements' cash lines, never negative
    account_kind = models.CharField(max_length=16, blank=True)  # as it was when paid
    account = models.CharField(max_length=64, blank=True)
    created_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CREATED)
    paid_at = models.DateTimeField(null=True, blank=True)
    remittance = models.FileField(upload_to="remittances/%Y/%m/", blank=True)
    remittance_sha256 = models.CharField(max_length=64, blank=True)
    remittance_sent_to = models.CharField(max_length=254, blank=True)
    remittance_sent_at = models.DateTimeField(null=True, blank=True)
    voucher_status = models.CharField(
        max_length=16, choices=VoucherStatus.choices, default=VoucherStatus.PENDING
    )
    erp_voucher_id = models.CharField(max_length=64, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Posts begun; more than zero means an earlier one may have reached the ERP.
    post_attempts = models.PositiveIntegerField(default=0)
    post_attempted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="payout_not_negative"),
        ]

    def __str__(self):
        return f"{self.external_number} {self.amount} {self.currency}"

    @property
    def external_number(self) -> str:
        """Our voucher number in the ERP: a second post finds the first by it."""
        return f"AC-P{self.pk}"


class Settlement(TenantModel):
    """What one payment, or the close of a case, changes between the creditor and us: its lines
    (settlements.split) until a payout takes it."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        CLOSE = "close", _("Case closed")  # a write-off or withdrawal settles what was paid
        REVERSAL = "reversal", _("Payment reversed")  # a booked payment undone: lines back

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a payout")
        PAID_OUT = "paid_out", _("Paid out")
        NOTHING = "nothing", _("Nothing to pay out")  # no line changed (e.g. a direct payment)

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="settlements")
    payment = models.OneToOneField(
        "cases.Payment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settlement",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PAYMENT)
    currency = models.CharField(max_length=3)
    # The payment's allocation on the ledger (the debtor's side); zero for a close.
    capital = MoneyField(**MONEY)
    interest = MoneyField(**MONEY)
    fees = MoneyField(**MONEY)
    overpayment = MoneyField(**MONEY)
    # The creditor's side: the sum of the cash lines (negative: netted against later money), and
    # the fees we keep by this settlement (before VAT).
    to_creditor = MoneyField(**MONEY)
    to_collector = MoneyField(**MONEY)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    payout = models.ForeignKey(
        Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="settlements"
    )
    # Before payouts (migration 0005) each payment's settlement was its own voucher: its id in the
    # ERP stays, so that the sync still knows those postings as ours.
    erp_voucher_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["creditor", "currency"],
                condition=models.Q(payout__isnull=True),
                name="settlement_unpaid_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind="close"),
                name="settlement_one_close_per_case",
            ),
        ]

    @property
    def external_number(self) -> str:
        return f"AC-S{self.pk}"


class SettlementLine(TenantModel):
    """One line of a settlement (settlements.split for the kinds). Cash lines add up to the
    settlement's to_creditor and, over its settlements, to the payout; booking lines move no
    money and only go into the voucher."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=24)
    invoice = models.ForeignKey(
        "cases.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = MoneyField(**MONEY)

    class Meta:
        ordering = ["pk"]


class IncomingPayment(models.Model):
    """A payment that reached our account, stored as received before anything is read from it;
    then matched. Matched ones become a case Payment; the rest wait here for support staff with
    the reason: a payment is never dropped, even one whose amount or reference is unreadable."""

    class Status(models.TextChoices):
        MATCHED = "matched"
        UNMATCHED = "unmatched"
        REFUNDED = "refunded"

    external_id = models.CharField(max_length=64, unique=True)  # bank transaction id
    reference = models.TextField(blank=True)  # as received
    # Unicode digits as ASCII, without spaces: what the case lookup used.
    normalized_reference = models.CharField(max_length=64, blank=True)
    raw_amount = models.TextField(blank=True)  # as received
    amount = MoneyField(null=True, blank=True, **MONEY)  # None: the raw amount is unreadable
    currency = models.CharField(max_length=3)
    paid_on = models.DateField()
    payer = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.CharField(max_length=300, blank=True)  # why it could not be matched
    payment = models.OneToOneField(
        "cases.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="incoming"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="matched") | models.Q(amount__gt=0),
                name="incoming_matched_positive",
            ),
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} ref {self.reference or '-'} ({self.status})"
