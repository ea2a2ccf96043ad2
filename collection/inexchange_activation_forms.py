"""The Inexchange activation's forms (seed 004, step 2 "Ange information om er verksamhet" and the
users): each step's fields and their checks; the services check again."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from collection.onboarding_forms import ContactForm
from creditors.services import OnboardingError, payout_account_clean

COUNTRY = "SE"  # Inexchange's "Påminnelse & Inkasso" is for Swedish companies
PAYOUT_KINDS = (("bankgiro", _("Bankgiro")), ("plusgiro", _("Plusgiro")))
OTHER_USERS = 3  # rows for more users on the users step
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,24}$")


def phone_clean(value: str) -> str:
    value = " ".join(value.split())
    if not _PHONE.match(value) or sum(ch.isdigit() for ch in value) < 6:
        raise forms.ValidationError(_("Give a phone number, such as 070-123 45 67."))
    return value


class BusinessForm(forms.Form):
    payout_account_kind = forms.ChoiceField(
        label=_("Payouts to"), choices=PAYOUT_KINDS, widget=forms.RadioSelect, initial="bankgiro"
    )
    payout_account = forms.CharField(
        label=_("Bankgiro or plusgiro number"),
        max_length=32,
        help_text=_("Where we pay out what your customers pay us."),
    )
    debt_description = forms.CharField(
        label=_("Invoice regarding"),
        max_length=200,
        help_text=_(
            "The standard text under “Invoice regarding” on reminders and collection demands. "
            "A clear description means fewer questions from your customers and quicker payment."
        ),
    )
    address_line1 = forms.CharField(label=_("Street address"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16)
    city = forms.CharField(label=_("City"), max_length=100)
    other_addresses = forms.BooleanField(
        label=_("We have another invoice address or agreement address"), required=False
    )
    invoice_address = forms.CharField(
        label=_("Invoice address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty when it is the sender address."),
    )
    agreement_address = forms.CharField(
        label=_("Agreement address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty when it is the sender address."),
    )

    def clean_postal_code(self):
        digits = "".join(self.cleaned_data["postal_code"].split())
        if len(digits) != 5 or not digits.isdigit():
            raise forms.ValidationError(_("A Swedish postal code has five digits."))
        return f"{digits[:3]} {digits[3:]}"  # as the post writes it: 111 34

    def clean(self):
        data = super().clean()
        kind, account = data.get("payout_account_kind"), data.get("payout_account")
        if kind and account:
            try:
                data["payout_account"] = payout_account_clean(
                    country=COUNTRY, kind=kind, account=account
                )
            except OnboardingError:
                self.add_error(
                    "payout_account",
                    _("Not a valid %(kind)s number.") % {"kind": dict(PAYOUT_KINDS)[kind]},
                )
        if data.get("other_addresses"):
            for name in ("invoice_address", "agreement_address"):
                data[name] = "\n".join(
                    line.strip() for line in (data.get(name) or "").splitlines() if line.strip()
                )
            if not (data["invoice_address"] or data["agreement_address"]):
                self.add_error(
                    "invoice_address", _("Give the invoice address, the agreement address or both.")
                )
        else:  # not ticked: both are the sender address
            data["invoice_address"] = data["agreement_address"] = ""
        return data


class UsersForm(forms.Form):
    """You (your contact details and a password unless you are logged in already) and the
    other users who get access, each with e-mail and phone."""

    phone = forms.CharField(label=_("Your phone"), max_length=32)

    def __init__(self, *args, new_user: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_user = new_user
        if new_user:  # the Tripletex wizard's contact fields, with their checks
            contact = ContactForm()
            self.fields = {**contact.fields, **self.fields}
        for n in range(1, OTHER_USERS + 1):
            self.fields[f"user-{n}-email"] = forms.EmailField(label=_("E-mail"), required=False)
            self.fields[f"user-{n}-phone"] = forms.CharField(
                label=_("Phone"), max_length=32, required=False
            )

    def clean_phone(self):
        return phone_clean(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if self.new_user and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        others, seen = [], {(data.get("email") or "").lower()}
        for n in range(1, OTHER_USERS + 1):
            email = (data.get(f"user-{n}-email") or "").strip().lower()
            phone = (data.get(f"user-{n}-phone") or "").strip()
            if not email and not phone:
                continue
            if not email:
                self.add_error(f"user-{n}-email", _("Give the user's e-mail address."))
                continue
            if email in seen:
                self.add_error(f"user-{n}-email", _("This user is on the list already."))
                continue
            try:
                others.append({"email": email, "phone": phone_clean(phone)})
            except forms.ValidationError as exc:
                self.add_error(f"user-{n}-phone", exc)
            seen.add(email)
        data["others"] = others
        return data

    def you(self):
        names = ("first_name", "last_name", "email", "password", "password_again")
        return [self[n] for n in names if self.new_user] + [self["phone"]]

    def other_rows(self):
        for n in range(1, OTHER_USERS + 1):
            yield n, self[f"user-{n}-email"], self[f"user-{n}-phone"]
