"""The creditor's auxiliary business name is a company setting its admin changes (audited with the
other company details, shown on the letters); the agreement type is shown read-only on the
settings page and in the API and changed by support staff only, audited (issue 10 review)."""

import datetime as dt

import pytest
from django.urls import reverse

from collection.advance import case_advance
from creditors.models import CreditorAuditEvent
from letters.models import Letter
from letters.rendering import render_letter_html
from letters.services import letter_context

pytestmark = pytest.mark.django_db

COMPANY = {
    "auxiliary_name": "Fjordvik Rør",
    "debt_description": "",
    "contact_email": "okonomi@fjordvik.no",
    "address_line1": "Bryggen 4",
    "postal_code": "5003",
    "city": "Bergen",
}


def audit(creditor, action):
    return list(CreditorAuditEvent.objects.for_creditor(creditor).filter(action=action))


@pytest.fixture
def people(make_creditor, make_user, django_user_model):
    creditor = make_creditor("Fjordvik Rørlegger AS")
    support = django_user_model.objects.create(username="support1", is_staff=True)
    return creditor, make_user(creditor, role="admin"), support


def test_the_auxiliary_name_is_set_on_the_settings_page_audited_and_on_the_letters(
    client, people, make_case
):
    creditor, admin, _ = people
    client.force_login(admin)
    page = client.get(reverse("creditor-settings", args=[creditor.pk])).content.decode()
    assert 'name="auxiliary_name"' in page and "Auxiliary business name" in page
    response = client.post(reverse("creditor-company", args=[creditor.pk]), COMPANY)
    assert response.status_code == 302
    creditor.refresh_from_db()
    assert creditor.auxiliary_name == "Fjordvik Rør"
    [event] = audit(creditor, "company")
    assert "auxiliary_name=" in event.old_value and "auxiliary_name=Fjordvik Rør" in event.new_value
    api = client.get(reverse("api-creditor-settings", args=[creditor.pk])).json()
    assert api["company"]["auxiliary_name"] == "Fjordvik Rør"

    case = make_case(creditor)
    case_advance(case_id=case.pk, today=dt.date(2026, 11, 2))
    html = render_letter_html(letter_context(letter=Letter.objects.get(case=case)))
    assert "Fjordvik Rør" in html and "Fjordvik Rørlegger AS" in html  # by it, legal name beside


def test_the_label_is_translated(client, people):
    creditor, admin, _ = people
    client.force_login(admin)
    url = reverse("creditor-settings", args=[creditor.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Auxiliary business name" not in page and "Binavn" in page


def test_the_agreement_type_is_shown_read_only_and_only_support_changes_it(client, people):
    creditor, admin, support = people
    url = reverse("creditor-settings", args=[creditor.pk])
    change = reverse("creditor-agreement-type", args=[creditor.pk])
    client.force_login(admin)
    page = client.get(url).content.decode()
    assert "Standard: fees are the collector&#x27;s" in page and change not in page
    assert client.post(change, {"type": "fee_share"}).status_code == 403
    assert (
        client.get(reverse("api-creditor-settings", args=[creditor.pk])).json()["agreement_type"]
        == "standard"
    )
    patch = client.patch(
        reverse("api-creditor-settings", args=[creditor.pk]),
        {"agreement_type": "fee_share"},
        content_type="application/json",
    )
    creditor.refresh_from_db()
    assert creditor.agreement_type == "standard", patch.content  # not a setting of the admin's

    client.force_login(support)
    assert change in client.get(url).content.decode()
    response = client.post(change, {"type": "sell"})
    assert response.status_code == 302
    assert 'class="error"' in client.get(response["Location"]).content.decode()
    creditor.refresh_from_db()
    assert creditor.agreement_type == "standard" and audit(creditor, "agreement_type") == []
    client.post(change, {"type": "fee_share"})
    creditor.refresh_from_db()
    assert creditor.agreement_type == "fee_share"
    [event] = audit(creditor, "agreement_type")
    assert (event.actor, event.old_value, event.new_value) == (
        support,
        "agreement_type=standard",
        "agreement_type=fee_share",
    )
    client.force_login(admin)
    assert "Reminder fees are the creditor&#x27;s" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("country", "kind", "account", "shown"),
    [
        ("SE", "bankgiro", "50501055", "Bankgiro 5050-1055 (SEK)"),
        ("SE", "plusgiro", "2865434", "Plusgiro 28 65 43-4 (SEK)"),
        ("NO", "no_account", "86011117947", "Norwegian account 8601 11 17947 (NOK)"),
        ("FI", "iban", "FI2112345600000785", "IBAN FI21 1234 5600 0007 85 (EUR)"),
    ],
)
def test_the_agreement_names_the_payout_account_by_its_kind(
    make_creditor, country, kind, account, shown
):
    from creditors.signing import agreement_html

    creditor = make_creditor(country=country, payout_account_kind=kind, payout_account=account)
    text = " ".join(agreement_html(creditor).split())
    assert f"out to {shown}" in text
    assert "account " + account not in text
