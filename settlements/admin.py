from django.contrib import admin

from settlements.models import Settlement


@admin.register(Settlement)
class SettlementAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "creditor",
        "case",
        "to_creditor",
        "to_collector",
        "status",
        "erp_voucher_id",
        "last_error",
    ]
    list_filter = ["status", "creditor"]
