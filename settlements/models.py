from django.db import models

from creditors.tenancy import TenantModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Settlement(TenantModel):
    """What one payment means for the creditor: the split, the payout, the voucher in the ERP."""

    class Status(models.TextChoices):
        PENDING = "pending"  # voucher not yet in the ERP
        POSTED = "posted"
        NOT_POSTED = "not_posted"  # nothing to post (direct payment, or bookkeeping off)
        FAILED = "failed"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="settlements")
    payment = models.OneToOneField(
        "cases.Payment", on_delete=models.PROTECT, related_name="settlement"
    )
    currency = models.CharField(max_length=3)
    capital = models.DecimalField(**MONEY)
    interest = models.DecimalField(**MONEY)
    fees = models.DecimalField(**MONEY)
    overpayment = models.DecimalField(**MONEY)
    to_creditor = models.DecimalField(**MONEY)
    to_collector = models.DecimalField(**MONEY)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    erp_voucher_id = models.CharField(max_length=64, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def external_number(self) -> str:
        return f"AC-S{self.pk}"
