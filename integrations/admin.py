from django.contrib import admin

from integrations.models import SyncRun


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
        "error",
    ]
    list_filter = ["status", "creditor"]
