"""What happens on a case besides its money: the append-only event history, the creditor's
decisions, the enforcement application, payment plans and the messages about it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.claims import MONEY, Case
from creditors.fields import MoneyField
from creditors.tenancy import TenantModel, TenantQuerySet


class CaseEventQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        raise ValidationError("case events are append-only")

    def delete(self):
        raise ValidationError("case events are append-only")


class CaseEvent(TenantModel):
    """Append-only history of a case: rows are written once and never changed or deleted."""

    objects = CaseEventQuerySet.as_manager()

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=32)
    from_stage = models.CharField(max_length=16, blank=True)
    to_stage = models.CharField(max_length=16, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )

    class Meta:
        ordering = ["at", "pk"]
        # Most events are the system's (no actor): only those with one are indexed
        indexes = [
            models.Index(
                fields=["actor"], name="event_actor_idx", condition=models.Q(actor__isnull=False)
            )
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("case events are append-only")


class DecisionRequest(TenantModel):
    """The creditor is asked what happens next; unanswered by the deadline, its default applies."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    requested_on = models.DateField()
    deadline = models.DateField()
    options = models.JSONField()  # e.g. ["enforcement", "surveillance", "close"]
    default_option = models.CharField(max_length=16)
    answer = models.CharField(max_length=16, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(answer=""), name="one_open_decision_per_case"
            ),
        ]


class EnforcementApplication(TenantModel):
    """What the authority needs, prepared for filing (we do not call the authority)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="enforcement")
    authority = models.CharField(max_length=100)
    prepared_on = models.DateField()
    debtor_name = models.CharField(max_length=200)
    debtor_identity = models.CharField(max_length=32, blank=True)
    currency = models.CharField(max_length=3)
    capital = MoneyField(**MONEY)
    interest = MoneyField(**MONEY)
    interest_rate = models.DecimalField(max_digits=6, decimal_places=3)
    interest_from = models.DateField()
    fees = MoneyField(**MONEY)
    application_fee = MoneyField(**MONEY)
    claim_description = models.TextField()


class PaymentPlan(TenantModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        BROKEN = "broken", _("Broken")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_plans")
    created_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    grace_days = models.PositiveIntegerField(default=5)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="active"),
                name="one_active_plan_per_case",
            ),
        ]


class PlanInstalment(models.Model):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField()
    amount = MoneyField(**MONEY)

    class Meta:
        ordering = ["due_on"]


class Message(TenantModel):
    """A message between the creditor's staff and us (support), on a case or about the creditor
    in general (case empty). Written through cases.messages.message_post."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_support = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Read markers of the other side: the creditor reads support's messages and vice versa.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["creditor", "case", "created_at"], name="message_thread_idx")
        ]

    def __str__(self):
        return f"message #{self.pk}"
