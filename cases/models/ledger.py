"""Money on a case: the payments received or reported and the ledger entries that move the claim.
Entries are posted only by cases.ledger.entries_post, which keeps Case.outstanding with them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.claims import MONEY, Case, Invoice
from creditors.fields import MoneyField
from creditors.tenancy import TenantModel


class Payment(TenantModel):
    class Source(models.TextChoices):
        COLLECTOR = "collector", _("Paid to us")
        DIRECT = "direct", _("Paid to the creditor")
        CREDIT_NOTE = "credit_note", _("Credit note")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    source = models.CharField(max_length=16, choices=Source.choices)
    external_id = models.CharField(max_length=64)  # bank transaction or ERP posting id
    amount = MoneyField(**MONEY)
    currency = models.CharField(max_length=3)
    paid_on = models.DateField()
    reference = models.CharField(max_length=64, blank=True)
    allocation_order = models.CharField(max_length=64)  # e.g. "fee,interest,capital"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["creditor", "source", "external_id"], name="payment_unique_external_id"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        ]


class LedgerEntry(TenantModel):
    """One movement on a case's claim. Debt raised is positive, debt reduced is negative."""

    class Component(models.TextChoices):
        CAPITAL = "capital", _("Capital")
        FEE = "fee", _("Fee")
        INTEREST = "interest", _("Interest")
        OVERPAYMENT = "overpayment", _("Overpayment")  # owed back to the debtor

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Charge")  # capital, fee or interest raised
        PAYMENT = "payment", _("Payment")
        CREDIT = "credit", _("Credit")
        WRITE_OFF = "write_off", _("Write Off")
        # a payment arrived after the write-off
        WRITE_OFF_REVERSAL = "write_off_reversal", _("Write Off Reversal")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    component = models.CharField(max_length=16, choices=Component.choices)
    amount = MoneyField(**MONEY)
    booked_on = models.DateField()
    period_end = models.DateField(null=True, blank=True)  # interest: the last day it covers
    description = models.CharField(max_length=200, blank=True)  # English; old rows' only text
    # What the entry is, as data: {"what": "interest", "from": "2026-10-23", ...}; the reader's
    # language renders it (cases.describe.entry_text), else the description above.
    params = models.JSONField(default=dict, blank=True, db_default={})
    # Makes every posting idempotent: the same business fact always produces the same key.
    key = models.CharField(max_length=128)
    payment = models.ForeignKey(
        Payment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["booked_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="ledger_unique_key"),
        ]
        # A payment's entries, an invoice's capital: most entries have neither (fees, interest),
        # only those that do are indexed
        indexes = [
            models.Index(
                fields=["payment"],
                name="ledger_payment_idx",
                condition=models.Q(payment__isnull=False),
            ),
            models.Index(
                fields=["invoice"],
                name="ledger_invoice_idx",
                condition=models.Q(invoice__isnull=False),
            ),
        ]
