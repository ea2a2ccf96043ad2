"""The portal's forms for reporting, on a case, a payment the creditor got directly or a credit
note against one of its invoices: for a creditor whose operator does not report them through our
partner API (collection.inexchange_api), such as an Inexchange company whose operator does not
call it. Permission REPORT (creditors.permissions); idempotent on the form's report id, made
when the form is shown, so a form sent twice books once. The booking is
collection.inexchange_reports' (the same services the partner API calls)."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.access import case_for_user
from collection.inexchange_models import PartnerCompany
from collection.inexchange_reports import ReportRefused, credit_note_report, payment_report
from creditors.permissions import Action
from nordic.calendar import local_today
from nordic.money import MAX_AMOUNT

SOURCE = "portal"


def reports_in_portal(creditor) -> bool:
    """Whether the case page offers the forms: an Inexchange creditor no partner reports for."""
    if creditor.erp_kind != "inexchange":
        return False  # the other ERPs tell us of direct payments and credit notes themselves
    return not PartnerCompany.objects.filter(
        creditor=creditor, partner__revoked_at__isnull=True
    ).exists()


class _ReportForm(forms.Form):
    report_id = forms.UUIDField(widget=forms.HiddenInput)
    invoice = forms.ChoiceField(label=gettext_lazy("Invoice"))
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=0.01,
        max_value=MAX_AMOUNT,  # the bound of every stored amount (nordic.money)
    )
    on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, case, creditor, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoices = {str(i.pk): i for i in case.invoices.order_by("due_date", "pk")}
        self.fields["invoice"].choices = [(k, i.number) for k, i in self.invoices.items()]
        self.today = local_today(creditor.time_zone)
        self.initial.setdefault("report_id", uuid.uuid4())
        self.initial.setdefault("on", self.today)

    def clean_on(self):
        if self.cleaned_data["on"] > self.today:
            raise forms.ValidationError(_("The date is in the future."))
        return self.cleaned_data["on"]


class PaymentReportForm(_ReportForm):
    prefix = "payment"


class CreditNoteReportForm(_ReportForm):
    prefix = "credit"
    number = forms.CharField(label=gettext_lazy("Credit note number"), max_length=64)


def _report(request, creditor_id, number, form_class, book, done):
    creditor, case = case_for_user(request.user, creditor_id, number, Action.REPORT)
    form = form_class(request.POST, case=case, creditor=creditor)
    if not form.is_valid():
        errors = "; ".join(f"{form[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        messages.error(request, errors)
    else:
        data = form.cleaned_data
        invoice = form.invoices[data["invoice"]]
        try:
            booked = book(invoice=invoice, id=str(data["report_id"]), data=data)
        except ReportRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done if booked else _("This report was booked already."))
    return redirect("case-detail", creditor_id=creditor.pk, number=case.number)


@login_required
@require_POST
def case_report_payment(request, creditor_id, number):
    def book(*, invoice, id, data):
        return payment_report(
            invoice=invoice, source=SOURCE, id=id, amount=data["amount"],
            currency=invoice.currency, paid_on=data["on"],
        )  # fmt: skip

    done = _("The direct payment is booked on the case.")
    return _report(request, creditor_id, number, PaymentReportForm, book, done)


@login_required
@require_POST
def case_report_credit_note(request, creditor_id, number):
    def book(*, invoice, id, data):
        return credit_note_report(
            invoice=invoice, source=SOURCE, id=id, number=data["number"], amount=data["amount"],
            currency=invoice.currency, credited_on=data["on"],
        )  # fmt: skip

    done = _("The credit note is booked on the case.")
    return _report(request, creditor_id, number, CreditNoteReportForm, book, done)
