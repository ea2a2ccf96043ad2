"""Onboarding never takes over an existing creditor, and the payout account changes only by its
admin, audited (issue 7, item 1). Over real HTTP to the Tripletex emulator."""

import pytest
from django.core.exceptions import PermissionDenied

from collection.onboarding import creditor_onboard
from creditors.models import CreditorAuditEvent, FirmClientAccess, FirmMembership, Membership
from creditors.services import (
    OnboardingError,
    SettingsError,
    creditor_payout_account_set,
)

pytestmark = pytest.mark.django_db

ACCOUNT_A, ACCOUNT_B = "8601 11 17947", "1234 56 78903"


def onboard(connection, *, account=ACCOUNT_A, email="okonomi@a.example", firm=None):
    return creditor_onboard(
        erp_kind="tripletex",
        connection=connection,
        country="NO",
        payout_account_kind="no_account",
        payout_account=account,
        contact_email=email,
        accounting_firm=firm,
    )


@pytest.fixture
def creditor_a(tripletex_connection, make_user):
    from creditors.models import AccountingFirm

    firm = AccountingFirm.objects.create(name="Vidde Regnskap AS", org_number="931558720")
    creditor = onboard(tripletex_connection(0), firm=firm)
    return creditor


def test_another_erp_company_with_the_same_org_number_is_refused(
    tripletex, tripletex_connection, creditor_a
):
    """The takeover: a second ERP company reporting A's organisation number overwrote A's payout
    account, connection, name, e-mail and firm link."""
    before = {
        f: getattr(creditor_a, f)
        for f in (
            "legal_name",
            "payout_account",
            "erp_connection",
            "erp_company_id",
            "contact_email",
            "accounting_firm_id",
            "address_line1",
        )
    }
    impostor = tripletex.add_company(
        "Fjordvik Rørlegger Holding AS",
        tripletex.seeded["companies"][0]["organization_number"],
        address_line1="Bakgata 1",
        postal_code="0001",
        city="Oslo",
    )
    token = tripletex.add_employee_token(impostor, "test-employee-impostor")
    with pytest.raises(OnboardingError, match="support.*merge"):
        onboard(
            tripletex_connection(0, employee_token=token),
            account=ACCOUNT_B,
            email="thief@example.com",
        )
    creditor_a.refresh_from_db()
    assert {f: getattr(creditor_a, f) for f in before} == before


def test_re_reading_the_same_erp_company_updates_only_what_the_erp_owns(
    tripletex, tripletex_connection, creditor_a, make_user
):
    admin = make_user(creditor_a, role="admin")
    company = tripletex.seeded["companies"][0]
    tripletex.state.get("company", company["id"]).update(name="Fjordvik Rør AS")
    again = onboard(
        tripletex_connection(0, lookback_days=400),  # another connection, same company
        account=ACCOUNT_B,
        email="other@example.com",
        firm=None,
    )
    assert again.pk == creditor_a.pk
    again.refresh_from_db()
    assert again.legal_name == "Fjordvik Rør AS"  # the ERP's
    assert again.payout_account == creditor_a.payout_account  # ours: untouched
    assert again.contact_email == "okonomi@a.example"
    assert again.accounting_firm_id == creditor_a.accounting_firm_id
    assert again.erp_connection == creditor_a.erp_connection
    assert list(Membership.objects.filter(creditor=again).values_list("user", "role")) == [
        (admin.pk, "admin")
    ]


def test_payout_account_change_is_the_admins_and_audited(creditor_a, make_user):
    admin = make_user(creditor_a, role="admin")
    clerk = make_user(creditor_a, role="user")
    support = make_user(staff=True)
    for user in (clerk, support):
        with pytest.raises(PermissionDenied):
            creditor_payout_account_set(
                creditor=creditor_a, actor=user, kind="no_account", account=ACCOUNT_B
            )
    with pytest.raises(SettingsError):
        creditor_payout_account_set(
            creditor=creditor_a, actor=admin, kind="no_account", account="1234 56 78900"
        )
    creditor_a.refresh_from_db()
    assert creditor_a.payout_account == "86011117947"
    assert not CreditorAuditEvent.objects.for_creditor(creditor_a).exists()

    creditor_payout_account_set(
        creditor=creditor_a, actor=admin, kind="no_account", account=ACCOUNT_B
    )
    creditor_a.refresh_from_db()
    assert creditor_a.payout_account == "12345678903"
    (event,) = CreditorAuditEvent.objects.for_creditor(creditor_a)
    assert (event.actor, event.action) == (admin, "payout_account")
    assert event.old_value == "no_account 86011117947"
    assert event.new_value == "no_account 12345678903"


def test_a_new_client_of_a_firm_is_reachable_by_the_firms_admins_only(
    tripletex_connection, make_user, django_user_model
):
    from creditors.models import AccountingFirm

    firm = AccountingFirm.objects.create(name="Vidde Regnskap AS", org_number="931558720")
    firm_admin = FirmMembership.objects.create(
        firm=firm, user=make_user(), role=FirmMembership.Role.ADMIN
    )
    FirmMembership.objects.create(firm=firm, user=make_user())
    creditor = onboard(tripletex_connection(1), firm=firm)
    assert list(
        FirmClientAccess.objects.filter(creditor=creditor).values_list("firm_membership", flat=True)
    ) == [firm_admin.pk]


def test_support_cannot_change_the_payout_account_in_the_admin(client, creditor_a, make_user):
    support = make_user(staff=True)
    support.is_superuser = True
    support.save()
    client.force_login(support)
    page = client.get(f"/admin/creditors/creditor/{creditor_a.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "86011117947" in body and 'name="payout_account"' not in body


def test_support_cannot_make_itself_the_admin_to_reach_the_payout_account(
    client, creditor_a, make_user
):
    """Support manages a creditor's users but never its money settings: adding itself as the
    creditor's admin (portal or API) would get round that."""
    support = make_user(staff=True)
    client.force_login(support)
    url = f"/api/creditors/{creditor_a.pk}/users/"
    answer = client.post(url, {"username": support.username, "role": "admin"}, "application/json")
    assert answer.status_code == 400, answer.content
    client.post(f"/c/{creditor_a.pk}/users/add/", {"username": support.username, "role": "admin"})
    assert not Membership.objects.filter(creditor=creditor_a, user=support).exists()
    payout = client.put(
        f"/api/creditors/{creditor_a.pk}/payout-account/",
        {"kind": "no_account", "account": ACCOUNT_B},
        "application/json",
    )
    assert payout.status_code == 403
    creditor_a.refresh_from_db()
    assert creditor_a.payout_account == "86011117947"
    # Support still adds other people, as the permission table says.
    clerk = make_user()
    answer = client.post(url, {"username": clerk.username, "role": "user"}, "application/json")
    assert answer.status_code == 201
