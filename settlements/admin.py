from django.contrib import admin

from settlements.models import IncomingPayment, Payout, Settlement, SettlementLine


class SettlementLineInline(admin.TabularInline):
    model = SettlementLine
    fields = ["kind", "invoice", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Settlement)
class SettlementAdmin(admin.ModelAdmin):
    list_display = ["pk", "creditor", "case", "kind", "to_creditor", "to_collector", "payout"]
    list_filter = ["status", "kind", "creditor"]
    inlines = [SettlementLineInline]
    raw_id_fields = ["case", "payment", "payout"]


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    """Support sees each payout's voucher outcome; a failed one is retried by the next run."""

    list_display = [
        "external_number",
        "creditor",
        "created_on",
        "amount",
        "currency",
        "status",
        "voucher_status",
        "erp_voucher_id",
        "last_error",
    ]
    list_filter = ["status", "voucher_status", "creditor"]


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
