"""What a creditor set up for its collection: which invoices the nightly sync imports (read by
creditors.import_filter) and the ledger accounts our settlement vouchers are posted on."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from creditors.fields import MoneyField
from creditors.models.tenants import Creditor
from creditors.tenancy import TenantModel


class ImportFilter(models.Model):
    """Which overdue invoices the nightly sync imports (read by creditors.import_filter). The
    amounts here are the default band; ImportFilterAmount sets one per currency, and
    ImportFilterOverride per customer or customer class."""

    creditor = models.OneToOneField(
        Creditor, on_delete=models.CASCADE, related_name="import_filter"
    )
    enabled = models.BooleanField(default=True)
    days_after_due = models.PositiveIntegerField(default=14)
    earliest_due_date = models.DateField(null=True, blank=True)
    min_amount = MoneyField(default=Decimal("0"))
    max_amount = MoneyField(null=True, blank=True)

    def clean(self):
        if self.max_amount is not None and self.max_amount < self.min_amount:
            raise ValidationError("max amount is below min amount")


class ImportFilterAmount(models.Model):
    """The least and the most outstanding amount imported, in one currency (the guide's card
    per currency)."""

    import_filter = models.ForeignKey(
        ImportFilter, on_delete=models.CASCADE, related_name="amounts"
    )
    currency = models.CharField(max_length=3)
    min_amount = MoneyField(default=Decimal("0"))
    max_amount = MoneyField(null=True, blank=True)

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["import_filter", "currency"], name="import_amount_one_per_currency"
            ),
        ]

    def clean(self):
        self.currency = (self.currency or "").strip().upper()
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValidationError({"currency": "a three-letter currency code (ISO 4217)"})
        if self.max_amount is not None and self.max_amount < (self.min_amount or 0):
            raise ValidationError("max amount is below min amount")


class ImportFilterOverride(TenantModel):
    """A customer's or a customer class's own import settings; an empty setting takes the next
    level's (customer, then class, then the creditor's). Excluded beats every setting."""

    customer_erp_id = models.CharField(max_length=64, blank=True)
    customer_class = models.CharField(max_length=100, blank=True)
    excluded = models.BooleanField(default=False)
    days_after_due = models.PositiveIntegerField(null=True, blank=True)
    min_amount = MoneyField(null=True, blank=True)
    max_amount = MoneyField(null=True, blank=True)

    class Meta:
        ordering = ["customer_class", "customer_erp_id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(customer_erp_id="") & ~models.Q(customer_class=""))
                    | (~models.Q(customer_erp_id="") & models.Q(customer_class=""))
                ),
                name="import_override_customer_or_class",
            ),
            models.UniqueConstraint(
                fields=["creditor", "customer_erp_id"],
                condition=~models.Q(customer_erp_id=""),
                name="import_override_one_per_customer",
            ),
            models.UniqueConstraint(
                fields=["creditor", "customer_class"],
                condition=~models.Q(customer_class=""),
                name="import_override_one_per_class",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def subject(self) -> str:
        if self.customer_erp_id:
            return f"customer {self.customer_erp_id}"
        return f"customer class {self.customer_class}"

    def clean(self):
        self.customer_erp_id = (self.customer_erp_id or "").strip()
        self.customer_class = (self.customer_class or "").strip()
        if bool(self.customer_erp_id) == bool(self.customer_class):
            raise ValidationError("give either a customer or a customer class")
        low = self.min_amount if self.min_amount is not None else 0
        if self.max_amount is not None and self.max_amount < low:
            raise ValidationError("max amount is below min amount")


class AccountSetup(models.Model):
    """Ledger accounts the settlement voucher is posted on, in the creditor's ERP."""

    creditor = models.OneToOneField(
        Creditor, on_delete=models.CASCADE, related_name="account_setup"
    )
    enabled = models.BooleanField(default=True)
    receivable_account = models.PositiveIntegerField(default=1500)
    clearing_account = models.PositiveIntegerField(default=1550)  # "bankkonto motpost"
    interest_income_account = models.PositiveIntegerField(default=8050)
    # Fees that are the creditor's under its agreement (Creditor.agreement_type "fee_share").
    fee_income_account = models.PositiveIntegerField(default=3900)
    # Seed 001: the creditor books its own write-offs here; postings against it are not read
    # back as payments. Our voucher books a case we write off here too.
    loss_account = models.PositiveIntegerField(default=7830)
    # The VAT we invoice on the reminder fees we keep (seed 002): an interim account of its own,
    # not a standard VAT account (seed 001 "Konto MVA-kostnad"), with the creditor's VAT code.
    vat_cost_account = models.PositiveIntegerField(default=2711)
    vat_code = models.CharField(max_length=8, blank=True, default="1")
