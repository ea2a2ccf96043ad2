from django.contrib import admin
from django.utils import timezone

from collection.models import QuarantinedRecord, SyncRun


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = [
        "creditor",
        "started_at",
        "status",
        "seen",
        "imported",
        "cases_opened",
        "payments",
        "quarantined",
        "error",
    ]
    list_filter = ["status", "creditor"]


@admin.register(QuarantinedRecord)
class QuarantinedRecordAdmin(admin.ModelAdmin):
    """ERP records the sync set aside, with the reason and the record as the ERP sent it. A
    record is released by the next sync that reads and stores it fine; support may also mark
    it resolved here once dealt with (a vanished invoice's case stays paused and flagged until
    support resumes it)."""

    list_display = [
        "creditor",
        "kind",
        "erp_id",
        "reason",
        "case",
        "first_seen_at",
        "last_seen_at",
        "resolved_at",
    ]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter), "creditor"]
    search_fields = ["erp_id", "reason"]
    readonly_fields = [
        "creditor",
        "sync_run",
        "kind",
        "erp_id",
        "reason",
        "payload",
        "case",
        "first_seen_at",
        "last_seen_at",
        "resolved_at",
    ]
    actions = ["mark_resolved"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Mark resolved")
    def mark_resolved(self, request, queryset):
        queryset.filter(resolved_at=None).update(resolved_at=timezone.now())
