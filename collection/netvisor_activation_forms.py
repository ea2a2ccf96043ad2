"""The Netvisor Store activation's forms: the terms, the KYC step (collection.netvisor_models
.NetvisorKyc says what it asks and why) and the removal question. The services check again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from collection.netvisor_models import NetvisorActivation, NetvisorKyc
from creditors.services import OnboardingError, payout_account_clean
from creditors.signup import org_number_clean

OWNER_ROWS = 4
PURPOSES = (
    ("own_receivables", _("Reminders and collection of our own sales invoices")),
    ("reminders", _("The reminder service only")),
    ("other", _("Something else (tell us below)")),
)
YES_NO = ((True, _("Yes")), (False, _("No")))


def _yes_no(value) -> bool | None:
    return {"True": True, "False": False}.get(value)


def _labelled(widget, label, n: int, **attrs):
    """A table cell's input, named for screen readers by its column and row."""
    return widget(attrs={"aria-label": f"{label} {n}", **attrs})


class TermsForm(forms.Form):
    accept = forms.BooleanField(label=_("I accept the service terms"))


class KycForm(forms.Form):
    payout_account = forms.CharField(
        label=_("Account for payouts (IBAN)"),
        max_length=42,
        help_text=_("Where we pay out what your customers pay us."),
    )
    authority = forms.ChoiceField(
        label=_("I fill this in as"),
        choices=NetvisorKyc.Authority.choices,
        widget=forms.RadioSelect,
    )
    firm_name = forms.CharField(label=_("Accounting firm"), max_length=200, required=False)
    firm_business_id = forms.CharField(
        label=_("The accounting firm's business ID"), max_length=16, required=False
    )
    no_owner_over_25 = forms.BooleanField(
        label=_("No person owns or controls more than 25 per cent of the company"), required=False
    )
    pep = forms.TypedChoiceField(
        label=_(
            "Is a beneficial owner, or a family member or close associate of one, a politically "
            "exposed person?"
        ),
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
    )
    pep_details = forms.CharField(
        label=_("Who, and which position"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    purpose = forms.ChoiceField(
        label=_("What do you use the service for?"), choices=PURPOSES, widget=forms.RadioSelect
    )
    purpose_details = forms.CharField(
        label=_("Tell us more"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, OWNER_ROWS + 1):
            self.fields[f"owner-{n}-name"] = forms.CharField(
                max_length=200, required=False, widget=_labelled(forms.TextInput, _("Name"), n)
            )
            self.fields[f"owner-{n}-birth_date"] = forms.DateField(
                required=False,
                widget=_labelled(forms.DateInput, _("Date of birth"), n, type="date"),
            )
            self.fields[f"owner-{n}-nationality"] = forms.CharField(
                max_length=60,
                required=False,
                widget=_labelled(forms.TextInput, _("Nationality"), n),
            )
            self.fields[f"owner-{n}-share"] = forms.DecimalField(
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                required=False,
                widget=_labelled(forms.NumberInput, _("Ownership share"), n),
            )

    def owner_rows(self):
        for n in range(1, OWNER_ROWS + 1):
            yield [self[f"owner-{n}-{k}"] for k in ("name", "birth_date", "nationality", "share")]

    def clean_payout_account(self):
        try:
            return payout_account_clean(
                country="FI", kind="iban", account=self.cleaned_data["payout_account"]
            )
        except OnboardingError as exc:
            raise forms.ValidationError(_("Not a valid IBAN.")) from exc

    def clean(self):
        data = super().clean()
        owners = []
        for n in range(1, OWNER_ROWS + 1):
            row = {k: data.get(f"owner-{n}-{k}") for k in ("name", "birth_date", "nationality")}
            share = data.get(f"owner-{n}-share")
            if not any(row.values()) and share is None:
                continue
            if not (row["name"] and row["birth_date"] and row["nationality"]):
                self.add_error(
                    f"owner-{n}-name", _("Give each owner's name, date of birth and nationality.")
                )
                continue
            owners.append(
                {
                    "name": " ".join(row["name"].split()),
                    "birth_date": row["birth_date"].isoformat(),
                    "nationality": row["nationality"].strip(),
                    "share": str(share) if share is not None else "",
                }
            )
        if not owners and not data.get("no_owner_over_25"):
            self.add_error(
                "no_owner_over_25",
                _("Name the beneficial owners, or confirm that no one owns over 25 per cent."),
            )
        data["beneficial_owners"] = owners
        if data.get("pep") and not (data.get("pep_details") or "").strip():
            self.add_error("pep_details", _("Tell us who is politically exposed, and how."))
        if data.get("purpose") == "other" and not (data.get("purpose_details") or "").strip():
            self.add_error("purpose_details", _("Tell us what you use the service for."))
        if data.get("authority") == NetvisorKyc.Authority.POSITION:
            if not (data.get("firm_name") or "").strip():
                self.add_error("firm_name", _("Give the accounting firm's name."))
            number = (data.get("firm_business_id") or "").strip()
            try:
                data["firm_business_id"] = org_number_clean(country="FI", org_number=number)
            except OnboardingError:
                self.add_error("firm_business_id", _("Give the firm's business ID (1234567-8)."))
        return data


class RemovalForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("What happens to the cases still open with us?"),
        choices=NetvisorActivation.Removal.choices,
        widget=forms.RadioSelect,
    )
