from django.db import models

from creditors.fields import MoneyField
from creditors.tenancy import TenantModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Settlement(TenantModel):
    """What one payment means for the creditor: the split, the payout, the voucher in the ERP."""

    class Status(models.TextChoices):
        PENDING = "pending"  # voucher not yet in the ERP
        # A post is under way (or its worker died mid-call): claimed and committed before the
        # ERP is called, so a second post sees it and keeps off the ERP.
        POSTING = "posting"
        POSTED = "posted"
        NOT_POSTED = "not_posted"  # nothing to post (direct payment, or bookkeeping off)
        FAILED = "failed"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="settlements")
    payment = models.OneToOneField(
        "cases.Payment", on_delete=models.PROTECT, related_name="settlement"
    )
    currency = models.CharField(max_length=3)
    capital = MoneyField(**MONEY)
    interest = MoneyField(**MONEY)
    fees = MoneyField(**MONEY)
    overpayment = MoneyField(**MONEY)
    to_creditor = MoneyField(**MONEY)
    to_collector = MoneyField(**MONEY)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    erp_voucher_id = models.CharField(max_length=64, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Posts begun; more than zero means an earlier one may have reached the ERP.
    post_attempts = models.PositiveIntegerField(default=0)
    post_attempted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def external_number(self) -> str:
        return f"AC-S{self.pk}"


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
