from django.db import models

from creditors.fields import MoneyField
from creditors.tenancy import TenantModel


def letter_path(letter, filename):
    return f"letters/{letter.creditor_id}/{letter.case_id}/{filename}"


class Letter(TenantModel):
    """A letter sent to the debtor at one stage of a case; the PDF is kept as it was sent."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="letters")
    stage = models.CharField(max_length=16)
    language = models.CharField(max_length=2)
    letter_date = models.DateField()
    pay_by = models.DateField()
    total = MoneyField()
    currency = models.CharField(max_length=3)
    file = models.FileField(upload_to=letter_path, blank=True)  # empty until rendered
    sha256 = models.CharField(max_length=64, blank=True)
    # The letter shows the ledger as it stood when the stage was entered: entries up to this id.
    ledger_upto = models.BigIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["letter_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "stage"], name="letter_one_per_stage"),
        ]
