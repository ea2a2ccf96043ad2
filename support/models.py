"""Support staff's work queue: one ticket per thing that needs a person, across every creditor,
refreshed from where the thing lives (support.refresh)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Ticket(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("Creditor message")
        SYNC_FAILED = "sync_failed", _("Failed import")
        QUARANTINED = "quarantined", _("Quarantined record")
        UNMATCHED_PAYMENT = "unmatched_payment", _("Unmatched payment")
        DELIVERY = "delivery", _("Failed delivery")
        FLAGGED_CASE = "flagged_case", _("Flagged case")
        MISSED_DEADLINE = "missed_deadline", _("Missed decision deadline")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    # What the ticket is about, unique per kind: the row's id (a message ticket: its thread,
    # "case:<id>" or "creditor:<id>"). Refreshing twice finds the same ticket.
    source = models.CharField(max_length=64)
    # Empty for a payment no case could be found for: it belongs to no creditor yet.
    creditor = models.ForeignKey(
        "creditors.Creditor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(max_length=300)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Empty when the refresh closed it because its source no longer needs anyone.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source"], name="ticket_unique_source"),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="ticket_status_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"
