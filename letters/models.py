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
    # The figures the PDF shows (amounts, rates, reference, pay-by date, ...: LetterContext.
    # figures), archived with it when it is rendered; like the PDF, never made again.
    figures = models.JSONField(default=dict, blank=True)
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


# --- Delivery (letters.delivery, letters.printing) ----------------------------------------------


def batch_path(batch, filename):
    return f"print/{batch.creditor_id}/{batch.batch_date:%Y}/{filename}"


class PrintBatch(TenantModel):
    """One creditor's letters to post on one day: one PDF for the print house with every letter
    as it was archived, and a manifest (CSV) of where each letter is in it."""

    batch_date = models.DateField()
    file = models.FileField(upload_to=batch_path)
    manifest = models.FileField(upload_to=batch_path)
    sha256 = models.CharField(max_length=64)  # of the batch PDF
    pages = models.PositiveIntegerField()
    letter_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-batch_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["creditor", "batch_date"], name="print_batch_daily"),
        ]


class Delivery(TenantModel):
    """A letter on its way to the debtor through one channel. At most one delivery per letter
    and channel: an e-mail that bounces or keeps failing is followed by a post delivery."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        POST = "post", _("Post")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    address = models.TextField(blank=True)  # the e-mail address, or the postal address lines
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # a failed one's retry
    sent_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)  # e-mail: to match a bounce
    # Post: the day's batch and where the letter is in it (1-based first page).
    print_batch = models.ForeignKey(
        PrintBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    first_page = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["letter", "channel"], name="delivery_one_per_channel"),
            models.CheckConstraint(
                condition=~models.Q(status__in=["sent", "bounced"])
                | models.Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel="post", status="sent")
                | models.Q(print_batch__isnull=False),
                name="delivery_posted_in_batch",
            ),
        ]
        indexes = [
            # The sweep's and the batch's look-up: only unfinished deliveries are in it.
            models.Index(
                fields=["channel", "creditor"],
                condition=models.Q(status__in=["queued", "failed"]),
                name="delivery_open_idx",
            ),
            models.Index(fields=["message_id"], name="delivery_message_idx"),
        ]
