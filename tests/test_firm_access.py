"""Accounting-firm users reach only the clients they were given access to, per client company,
and a grant or revoke applies on their next request (issue 7, item 3)."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from creditors.access import creditors_for_user
from creditors.models import (
    AccountingFirm,
    CreditorAuditEvent,
    FirmClientAccess,
    FirmMembership,
    Membership,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm_and_clients(make_creditor, make_case, django_user_model):
    firm = AccountingFirm.objects.create(name="Vidde Regnskap AS", org_number="931558720")
    a = make_creditor("Alfa AS", accounting_firm=firm)
    b = make_creditor("Beta AS", accounting_firm=firm)
    make_case(a), make_case(b)

    def firm_user(name, role=FirmMembership.Role.USER, clients=()):
        user = django_user_model.objects.create(username=name)
        membership = FirmMembership.objects.create(user=user, firm=firm, role=role)
        for creditor in clients:
            FirmClientAccess.objects.create(firm_membership=membership, creditor=creditor)
        return membership

    return firm, a, b, firm_user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_firm_user_reaches_only_the_clients_granted(firm_and_clients):
    _, a, b, firm_user = firm_and_clients
    clerk = firm_user("clerk", clients=[a]).user
    client = logged_in(clerk)
    assert client.get(f"/c/{a.pk}/cases/").status_code == 200
    assert client.get(f"/c/{b.pk}/cases/").status_code == 404  # same firm, no access
    assert client.get(f"/api/creditors/{b.pk}/cases/").status_code == 404
    assert list(creditors_for_user(clerk)) == [a]


def test_revoke_and_grant_apply_on_the_next_request(firm_and_clients, make_user):
    _, a, _, firm_user = firm_and_clients
    clerk = firm_user("clerk", clients=[a])
    firm_admin = firm_user("boss", role=FirmMembership.Role.ADMIN, clients=[a])
    creditor_admin = make_user(a, role="admin")
    as_clerk = logged_in(clerk.user)
    assert as_clerk.get(f"/c/{a.pk}/cases/").status_code == 200

    # The creditor's admin takes the firm user off its company (API) ...
    revoke = logged_in(creditor_admin).delete(f"/api/creditors/{a.pk}/firm-access/{clerk.pk}/")
    assert revoke.status_code == 204
    assert as_clerk.get(f"/c/{a.pk}/cases/").status_code == 404
    assert as_clerk.get(f"/api/creditors/{a.pk}/cases/").status_code == 404

    # ... and the firm admin gives the access back (portal).
    grant = logged_in(firm_admin.user).post(f"/c/{a.pk}/firm-access/{clerk.pk}/grant/")
    assert grant.status_code == 302
    assert as_clerk.get(f"/c/{a.pk}/cases/").status_code == 200
    access = FirmClientAccess.objects.get(firm_membership=clerk, creditor=a)
    assert access.granted_by == firm_admin.user
    actions = CreditorAuditEvent.objects.for_creditor(a).values_list("action", flat=True)
    assert sorted(actions) == ["firm_access_granted", "firm_access_revoked"]


def test_access_ends_when_the_client_leaves_the_firm(firm_and_clients):
    _, a, _, firm_user = firm_and_clients
    clerk = firm_user("clerk", clients=[a]).user
    a.accounting_firm = AccountingFirm.objects.create(name="Other Regnskap", org_number="9999")
    a.save(update_fields=["accounting_firm"])
    assert logged_in(clerk).get(f"/c/{a.pk}/cases/").status_code == 404


def test_a_firm_admin_cannot_make_itself_the_creditors_admin(firm_and_clients):
    _, a, _, firm_user = firm_and_clients
    boss = firm_user("boss", role=FirmMembership.Role.ADMIN, clients=[a]).user
    response = logged_in(boss).post(
        f"/api/creditors/{a.pk}/users/",
        {"username": "boss", "role": "admin"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=boss).exists()


def test_migration_keeps_todays_firm_users_on_todays_clients(firm_and_clients):
    _, a, b, firm_user = firm_and_clients
    clerk = firm_user("clerk")
    assert list(creditors_for_user(clerk.user)) == []
    migration = importlib.import_module("creditors.migrations.0003_firm_client_access_audit")
    migration.grant_existing_firm_access(apps, None)
    assert set(creditors_for_user(clerk.user)) == {a, b}


def test_the_demo_firm_user_reaches_both_demo_clients(tripletex):
    from collection.demo import load_demo

    creditors = load_demo(erp_url=tripletex.url, seeded=tripletex.seeded)
    again = load_demo(erp_url=tripletex.url + "/", seeded=tripletex.seeded)  # a re-run
    assert [c.pk for c in again] == [c.pk for c in creditors]
    demo = FirmMembership.objects.get(user__username="demo")
    assert set(creditors_for_user(demo.user)) == set(creditors)
    fjordvik = Membership.objects.get(user__username="fjordvik")
    assert list(creditors_for_user(fjordvik.user)) == [creditors[0]]
    for creditor in again:
        creditor.refresh_from_db()
        assert creditor.erp_connection["base_url"] == tripletex.url + "/"
