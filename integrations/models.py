from django.db import models

from creditors.tenancy import TenantModel


class SyncRun(TenantModel):
    """One import run for one creditor, kept whether it worked or not, with its reason."""

    class Status(models.TextChoices):
        RUNNING = "running"
        OK = "ok"
        FAILED = "failed"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    as_of = models.DateField()
    seen = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    cases_opened = models.PositiveIntegerField(default=0)
    payments = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
