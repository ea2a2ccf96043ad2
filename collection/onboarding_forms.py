"""The onboarding wizard's forms: each step's fields and their checks (the services check again)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from creditors.services import OnboardingError, payout_account_clean
from creditors.signup import org_number_clean

COUNTRY, PAYOUT_KIND = "NO", "no_account"  # Tripletex companies are Norwegian


class ApiKeyForm(forms.Form):
    api_key = forms.CharField(
        label=_("Tripletex API key"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Tripletex: My profile → API access → New key, application AutoCollect."),
    )


class ContactForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


def _payout_account(value: str) -> str:
    try:
        return payout_account_clean(country=COUNTRY, kind=PAYOUT_KIND, account=value)
    except OnboardingError as exc:
        raise forms.ValidationError(_("Not a valid Norwegian account number (11 digits).")) from exc


class CompanyForm(forms.Form):
    payout_account = forms.CharField(
        label=_("Account number for payouts"),
        max_length=32,
        help_text=_("Where we pay out what your debtors pay: a Norwegian account, 11 digits."),
    )
    uses_firm = forms.BooleanField(label=_("We use an accounting firm"), required=False)
    firm_org_number = forms.CharField(
        label=_("The accounting firm's organisation number"), max_length=20, required=False
    )

    def clean_payout_account(self):
        return _payout_account(self.cleaned_data["payout_account"])

    def clean(self):
        data = super().clean()
        if data.get("uses_firm"):
            number = (data.get("firm_org_number") or "").strip()
            if not number:
                self.add_error("firm_org_number", _("Give the accounting firm's number."))
            else:
                try:
                    data["firm_org_number"] = org_number_clean(country=COUNTRY, org_number=number)
                except OnboardingError as exc:
                    self.add_error("firm_org_number", str(exc))
        return data


class ClientsForm(forms.Form):
    """The firm's clients: a tick and a payout account for each (field names carry the
    client's ERP id: pick-<id>, account-<id>)."""

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.clients = clients
        for client in clients:
            self.fields[f"pick-{client['erp_id']}"] = forms.BooleanField(required=False)
            self.fields[f"account-{client['erp_id']}"] = forms.CharField(
                max_length=32, required=False
            )

    def clean(self):
        data = super().clean()
        picked = []
        for client in self.clients:
            erp_id = client["erp_id"]
            if not data.get(f"pick-{erp_id}") or client.get("taken"):
                continue
            field = f"account-{erp_id}"
            try:
                picked.append((client, _payout_account(data.get(field) or "")))
            except forms.ValidationError as exc:
                self.add_error(field, exc)
        if not picked and not self.errors:
            raise forms.ValidationError(_("Tick at least one company."))
        data["picked"] = picked
        return data

    def rows(self):
        """(client, tick field, account field) for the template."""
        for client in self.clients:
            erp_id = client["erp_id"]
            yield client, self[f"pick-{erp_id}"], self[f"account-{erp_id}"]


class SignForm(forms.Form):
    """The development signer's form (creditors.signing.DevelopmentSigner reads it)."""

    signer_name = forms.CharField(label=_("Your full name"), max_length=200)
    # The template's plural form of the same words is one catalogue entry: ask for its singular.
    i_sign = forms.BooleanField(
        label=ngettext_lazy(
            "I have read the agreement and I sign it",
            "I have read the %(n)s agreements and I sign each of them",
            1,
        )
    )
