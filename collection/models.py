"""Import runs and the ERP records they set aside. Both moved here from integrations/ (which
knows no creditor); they keep their tables, so no row moved (collection/migrations/0001)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditors.tenancy import TenantModel


class SyncRun(TenantModel):
    """One import run for one creditor, kept whether it worked or not, with its reason."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("Ok")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    as_of = models.DateField()
    seen = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    cases_opened = models.PositiveIntegerField(default=0)
    payments = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)  # records set aside, see below
    # Invoices the import filter left out, by reason code (creditors.import_filter.SkipCode).
    skipped_by_reason = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        db_table = "integrations_syncrun"
        ordering = ["-started_at", "-pk"]


class QuarantinedRecord(TenantModel):
    """An ERP record the sync could not read or store, kept with the reason while the rest of
    the run goes on. Open until a later sync reads and stores it fine (or support resolves it);
    one open row per record, seen again on every run until then."""

    class Kind(models.TextChoices):
        # could not be read, or its invoice or customer not stored
        INVOICE = "invoice", _("Invoice")
        # a direct payment or credit note that could not be booked
        PAYMENT = "payment", _("Payment")
        # an invoice in collection that the ERP no longer has
        VANISHED = "vanished", _("Vanished")

    sync_run = models.ForeignKey(
        SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    erp_id = models.CharField(max_length=64)
    reason = models.TextField()
    payload = models.TextField(blank=True)  # the record as the ERP sent it, when there was one
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "integrations_quarantinedrecord"
        ordering = ["-last_seen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["creditor", "kind", "erp_id"],
                condition=models.Q(resolved_at=None),
                name="quarantine_one_open_per_record",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.erp_id}: {self.reason[:60]}"


class Assignment(TenantModel):
    """A case handed over through the assignments API by an accounting program (Visma's
    "uppdrag"): its type says where the case starts (cases.starting). The idempotency key makes
    a retried request return the same case; the same key with another body is refused."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Payment reminder")
        DEMAND = "demand", _("Collection demand")
        ENFORCEMENT = "enforcement", _("Enforcement")
        SURVEILLANCE = "surveillance", _("Surveillance")

    idempotency_key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)  # sha256 of the request as it was read
    kind = models.CharField(max_length=16, choices=Kind.choices)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="assignment")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The service's terms were accepted with this one (the creditor's first assignment).
    terms_accepted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["creditor", "idempotency_key"], name="assignment_unique_key"
            ),
        ]


from collection.inexchange_models import Partner, PartnerCompany, StoreHandoff  # noqa: E402, F401
from collection.netvisor_models import NetvisorActivation, NetvisorKyc  # noqa: E402, F401
