from django.db import models
from django.utils.translation import gettext_lazy as _

from creditors.fields import MoneyField
from creditors.tenancy import TenantModel


def letter_path(letter, filename):
    return f"letters/{letter.creditor_id}/{letter.case_id}/{filename}"


class Letter(TenantModel):
    """A letter to the debtor at one stage of a case; the PDF is kept as it was sent.

    The row is written with the stage (and its fee) and rendered after commit: until its PDF is
    on file it is pending, and only the PDF on file makes it sent (a database constraint)."""

    class Status(models.TextChoices):
        # the stage is entered and charged; the PDF is still to be made
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")  # the PDF is on file, as the debtor gets it

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="letters")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
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
    # Failed renders (retried with backoff, then by the sweep; the case is flagged for support
    # after AUTOCOLLECT_LETTER_RENDER_ATTEMPTS of them).
    render_attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["letter_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "stage"], name="letter_one_per_stage"),
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | (
                    models.Q(status="sent", rendered_at__isnull=False)
                    & ~models.Q(file="")
                    & ~models.Q(sha256="")
                ),
                name="letter_sent_has_pdf",
            ),
        ]
        indexes = [
            # The sweep's look-up: few letters are ever pending, so the index stays small.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending"),
                name="letter_pending_idx",
            ),
        ]
