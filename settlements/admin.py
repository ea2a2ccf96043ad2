from django.contrib import admin

from settlements.models import IncomingPayment, Settlement


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


@admin.register(IncomingPayment)
class IncomingPaymentAdmin(admin.ModelAdmin):
    """The unmatched queue: support staff see why a payment found no case, and match it with
    `manage.py match_payment <bank id> <case number>`."""

    list_display = [
        "external_id",
        "paid_on",
        "raw_amount",
        "amount",
        "currency",
        "reference",
        "status",
        "reason",
    ]
    list_filter = ["status", "currency"]
    search_fields = ["external_id", "reference", "normalized_reference", "payer"]
    readonly_fields = ["payment"]
