from django.contrib import admin

from creditors.models import (
    AccountingFirm,
    AccountSetup,
    Creditor,
    FirmMembership,
    ImportFilter,
    Membership,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class ImportFilterInline(admin.StackedInline):
    model = ImportFilter


class AccountSetupInline(admin.StackedInline):
    model = AccountSetup


@admin.register(Creditor)
class CreditorAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "org_number", "country", "erp_kind", "status", "last_synced_on"]
    list_filter = ["country", "erp_kind", "status"]
    search_fields = ["legal_name", "org_number"]
    inlines = [MembershipInline, ImportFilterInline, AccountSetupInline]


@admin.register(AccountingFirm)
class AccountingFirmAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number"]


admin.site.register(FirmMembership)
