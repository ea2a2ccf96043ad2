"""The case list's filters as a user gives them (the portal's form, the API's query parameters):
checked here and turned into a cases.selectors.CaseFilter, so both surfaces filter alike."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.selectors import CASE_SORTS, DEFAULT_SORT, CaseFilter

SORT_LABELS = {
    "opened": _("Opened"),
    "number": _("Case number"),
    "debtor": _("Debtor"),
    "stage": _("Stage"),
    "status": _("Status"),
    "next_action": _("Next action"),
    "outstanding": _("Outstanding"),
}
assert set(SORT_LABELS) == set(CASE_SORTS)


def _sort_choices():
    for key, label in SORT_LABELS.items():
        yield key, _("%(column)s, ascending") % {"column": label}
        yield f"-{key}", _("%(column)s, descending") % {"column": label}


class CaseFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Search"))
    stage = forms.ChoiceField(
        required=False, choices=[("", _("All stages")), *Case.Stage.choices], label=_("Stage")
    )
    status = forms.ChoiceField(
        required=False, choices=[("", _("All statuses")), *Case.Status.choices], label=_("Status")
    )
    debtor = forms.CharField(required=False, max_length=200, label=_("Debtor"))
    opened_from = forms.DateField(required=False, label=_("Opened from"))
    opened_to = forms.DateField(required=False, label=_("Opened until"))
    amount_min = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, label=_("Outstanding from")
    )
    amount_max = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, label=_("Outstanding up to")
    )
    decision = forms.ChoiceField(
        required=False,
        choices=[("", _("Any")), ("yes", _("Awaiting my decision")), ("no", _("No decision"))],
        label=_("Pending decision"),
    )
    sort = forms.ChoiceField(required=False, choices=_sort_choices, label=_("Sort by"))

    def case_filter(self) -> CaseFilter:
        """The valid fields as a CaseFilter; a field that does not parse is left out (the form
        shows its error) rather than failing the whole list."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        decision = data.get("decision") or ""
        return CaseFilter(
            query=(data.get("q") or "").strip(),
            stage=data.get("stage") or "",
            status=data.get("status") or "",
            debtor=(data.get("debtor") or "").strip(),
            opened_from=data.get("opened_from"),
            opened_to=data.get("opened_to"),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            pending_decision={"yes": True, "no": False}.get(decision),
            sort=data.get("sort") or DEFAULT_SORT,
        )
