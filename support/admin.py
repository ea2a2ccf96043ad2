"""Tickets in the Django admin, read only: support works them in the console (/support/), whose
services assign, answer and close them with who and when; the refresh opens and closes them from
their sources. The admin is for looking one up, with a link to it in the console."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from creditors.admin import ReadOnlyAdmin
from support.models import Ticket


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["opened_at", "kind", "status", "creditor", "subject", "assignee", "console"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "source", "creditor__legal_name"]
    date_hierarchy = "opened_at"
    list_select_related = ["creditor", "assignee"]

    @admin.display(description="console")
    def console(self, obj) -> str:
        return format_html('<a href="{}">open</a>', reverse("support-ticket", args=[obj.pk]))
