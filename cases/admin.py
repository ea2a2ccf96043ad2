from django.contrib import admin

from cases.models import (
    Case,
    CaseEvent,
    Debtor,
    DecisionRequest,
    EnforcementApplication,
    Invoice,
    LedgerEntry,
    Payment,
    PaymentPlan,
    PlanInstalment,
    RuleValue,
)
from creditors.admin import ReadOnlyAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["at", "kind", "from_stage", "to_stage", "message"]
    readonly_fields = fields


class LedgerInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ["booked_on", "kind", "component", "amount", "description", "key"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "creditor", "debtor", "stage", "status", "outcome", "next_action_on"]
    list_filter = ["status", "stage", "country", "creditor"]
    search_fields = ["number", "payment_reference", "debtor__name"]
    readonly_fields = [
        "number",
        "payment_reference",
        "creditor",
        "debtor",
        "stage",
        "status",
        "outcome",
    ]
    inlines = [LedgerInline, EventInline]


@admin.register(Debtor)
class DebtorAdmin(admin.ModelAdmin):
    list_display = ["name", "creditor", "kind", "identity_number", "customer_class"]
    list_filter = ["kind", "creditor"]
    search_fields = ["name", "identity_number", "erp_id"]


# Money and ERP data change only through services (payments, credits, the sync), so that the
# ledger stays balanced and no row crosses tenants: the admin shows them (ReadOnlyAdmin).
@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "creditor",
        "debtor",
        "due_date",
        "original_amount",
        "outstanding_amount",
        "case",
    ]
    list_filter = ["creditor"]
    search_fields = ["number", "erp_id"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["case", "source", "amount", "currency", "paid_on", "allocation_order"]
    list_filter = ["source"]


@admin.register(RuleValue)
class RuleValueAdmin(admin.ModelAdmin):
    """Support staff correct the unconfirmed legal figures here."""

    list_display = [
        "country",
        "rule",
        "applies_to",
        "capital_upto",
        "valid_from",
        "value",
        "confirmed",
        "source",
    ]
    list_filter = ["country", "rule", "confirmed"]
    list_editable = ["value", "confirmed"]


@admin.register(DecisionRequest)
class DecisionRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "requested_on", "deadline", "default_option", "answer"]
    list_filter = ["answer"]


@admin.register(EnforcementApplication)
class EnforcementApplicationAdmin(admin.ModelAdmin):
    list_display = ["case", "authority", "prepared_on", "capital", "interest", "fees"]


class InstalmentInline(admin.TabularInline):
    model = PlanInstalment
    extra = 0


@admin.register(PaymentPlan)
class PaymentPlanAdmin(admin.ModelAdmin):
    list_display = ["case", "created_on", "status"]
    inlines = [InstalmentInline]
