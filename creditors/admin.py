from django.contrib import admin

from creditors.models import (
    AccountingFirm,
    AccountSetup,
    AgreementSignature,
    Creditor,
    CreditorAuditEvent,
    FirmClientAccess,
    FirmMembership,
    ImportFilter,
    ImportFilterAmount,
    ImportFilterOverride,
    Membership,
    SupportAccessLog,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through services (the audit trail here; money and ERP data in
    cases/): the admin shows them and never adds, changes or deletes one."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class ImportFilterInline(admin.StackedInline):
    model = ImportFilter


class ImportFilterOverrideInline(admin.TabularInline):
    """Settings per customer (ERP id) or customer class; excluded customers."""

    model = ImportFilterOverride
    extra = 0


class ImportFilterAmountInline(admin.TabularInline):
    model = ImportFilterAmount
    extra = 0


@admin.register(ImportFilter)
class ImportFilterAdmin(admin.ModelAdmin):
    """The filter with its amounts per currency (an inline cannot hold inlines)."""

    list_display = ["creditor", "enabled", "days_after_due", "earliest_due_date"]
    inlines = [ImportFilterAmountInline]


class AccountSetupInline(admin.StackedInline):
    model = AccountSetup


class ErpSecretsHidden:
    """ERP credentials are never shown, not even to staff: only whether there are any. They
    are set by onboarding (the ERP checks them), not typed in here."""

    exclude = ["erp_connection"]

    @admin.display(description="ERP connection configured")
    def erp_connection_configured(self, obj) -> str:
        return "yes" if obj and obj.erp_connection else "no"


@admin.register(Creditor)
class CreditorAdmin(ErpSecretsHidden, admin.ModelAdmin):
    # The payout account changes only as its admin's audited action (portal or API), and the
    # agreement type as support's audited action on the settings page: not here.
    readonly_fields = [
        "erp_connection_configured",
        "payout_account_kind",
        "payout_account",
        "agreement_type",
    ]
    list_display = ["legal_name", "org_number", "country", "erp_kind", "status", "last_synced_on"]
    list_filter = ["country", "erp_kind", "status"]
    search_fields = ["legal_name", "org_number"]
    inlines = [
        MembershipInline,
        ImportFilterInline,
        ImportFilterOverrideInline,
        AccountSetupInline,
    ]


@admin.register(AccountingFirm)
class AccountingFirmAdmin(ErpSecretsHidden, admin.ModelAdmin):
    readonly_fields = ["erp_connection_configured"]
    list_display = ["name", "org_number", "erp_connection_configured"]


@admin.register(FirmMembership)
class FirmMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "firm", "role"]
    list_filter = ["role"]


@admin.register(FirmClientAccess)
class FirmClientAccessAdmin(admin.ModelAdmin):
    list_display = ["firm_membership", "creditor", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]


@admin.register(CreditorAuditEvent)
class CreditorAuditEventAdmin(ReadOnlyAdmin):
    """Read only: the trail of who changed what on a creditor."""

    list_display = ["at", "creditor", "actor", "action", "old_value", "new_value"]
    list_filter = ["action"]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ReadOnlyAdmin):
    """Read only: the agreement as signed (its PDF, checksum, signer, method and time) is evidence;
    a new agreement is a new row, written by creditors.signing."""

    list_display = ["signed_at", "creditor", "signer_name", "method", "signed_by", "sha256"]
    list_filter = ["method"]
    search_fields = ["creditor__legal_name", "creditor__org_number", "signer_name", "sha256"]
    date_hierarchy = "signed_at"
    list_select_related = ["creditor", "signed_by"]


@admin.register(SupportAccessLog)
class SupportAccessLogAdmin(ReadOnlyAdmin):
    """Read only: every view of a creditor's data by support staff (creditors.audit)."""

    list_display = ["at", "user", "creditor", "method", "path"]
    list_filter = ["method"]
    search_fields = ["user__username", "creditor__legal_name", "path"]
    date_hierarchy = "at"
    list_select_related = ["user", "creditor"]
