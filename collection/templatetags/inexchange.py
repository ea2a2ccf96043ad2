"""{% inexchange_notice creditor %}: on the dashboard and the case list of a creditor that came
through Inexchange, the guide's reminder (seed 004, "Tänk på!") that decisions, such as whether a
case goes on to enforcement at Kronofogden, and messages from us wait in the portal, with how many
do now. Nothing for other creditors (they have the same pages, from their ERP's own flow)."""

from django import template

from cases import messages as case_messages
from cases import selectors

register = template.Library()


@register.inclusion_tag("portal/_inexchange_notice.html")
def inexchange_notice(creditor):
    if creditor.erp_kind != "inexchange":
        return {"show": False}
    decisions = selectors.case_list(
        creditor=creditor, filters=selectors.CaseFilter(pending_decision=True)
    ).count()
    unread = case_messages.messages_unread(creditor=creditor, for_support=False).count()
    return {"show": True, "creditor": creditor, "decisions": decisions, "unread": unread}


@register.inclusion_tag("portal/_case_reports.html")
def case_report_forms(creditor, case, can):
    """The case page's forms to report a direct payment or a credit note (inexchange_views)."""
    from collection.inexchange_views import (
        CreditNoteReportForm,
        PaymentReportForm,
        reports_in_portal,
    )

    show = can.get("report") and case.status != "closed" and reports_in_portal(creditor)
    if not show:
        return {"show": False}
    kw = {"case": case, "creditor": creditor}
    return {
        "show": True,
        "creditor": creditor,
        "case": case,
        "payment": PaymentReportForm(**kw),
        "credit": CreditNoteReportForm(**kw),
    }
