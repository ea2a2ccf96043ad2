"""The creditor admin's API-keys page (/c/<id>/api-keys/): the keys with prefix, role, creation
and last use; a new key shown once and working against the API; revoking one refuses it from the
next request. Keys' own users are no people: they are not in the users list, not counted as the
creditor's last admin, and cannot be given a role by name."""

import re

import pytest
from django.urls import reverse

from creditors.apikeys import api_key_create
from creditors.models import ApiKey, CreditorAuditEvent, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def admin_and_creditor(make_creditor, make_user):
    creditor = make_creditor()
    return creditor, make_user(creditor, role="admin")


def test_the_admin_creates_a_key_seen_once_that_works(client, admin_and_creditor):
    creditor, admin = admin_and_creditor
    client.force_login(admin)
    url = reverse("creditor-api-keys", args=[creditor.pk])
    assert "No API keys yet." in client.get(url).content.decode()

    made = client.post(url, {"name": "Visma desktop", "role": "user"})
    assert made.status_code == 302 and made["Location"] == url
    page = client.get(url).content.decode()
    key = re.search(r'id="new-key-value"[^>]*>(ac_[^<]+)<', page).group(1)
    api_key = ApiKey.objects.get(creditor=creditor)
    assert key.startswith(f"ac_{api_key.prefix}_") and key not in api_key.key_hash
    assert api_key.role == "user" and api_key.created_by == admin
    assert "Visma desktop" in page and f"ac_{api_key.prefix}_…" in page and "never" in page
    again = client.get(url).content.decode()
    assert key not in again and 'id="new-key"' not in again  # shown once

    client.logout()
    listed = client.get(
        reverse("api-case-list", args=[creditor.pk]), headers={"Authorization": f"Api-Key {key}"}
    )
    assert listed.status_code == 200
    client.force_login(admin)
    assert "never" not in client.get(url).content.decode()  # last used is shown now
    assert CreditorAuditEvent.objects.filter(creditor=creditor, action="api_key_created").exists()


def test_a_form_error_makes_no_key(client, admin_and_creditor):
    creditor, admin = admin_and_creditor
    client.force_login(admin)
    page = client.post(reverse("creditor-api-keys", args=[creditor.pk]), {"name": "", "role": "x"})
    assert page.status_code == 200 and 'class="error"' in page.content.decode()
    assert not ApiKey.objects.exists()


def test_revoking_refuses_the_key_from_its_next_request(client, admin_and_creditor):
    creditor, admin = admin_and_creditor
    api_key, key = api_key_create(creditor=creditor, actor=admin, name="Old program", role="admin")
    cases = reverse("api-case-list", args=[creditor.pk])
    assert client.get(cases, headers={"Authorization": f"Api-Key {key}"}).status_code == 200
    client.force_login(admin)
    done = client.post(reverse("creditor-api-key-revoke", args=[creditor.pk, api_key.pk]))
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "revoked" in page and "Old program" in page
    client.logout()
    refused = client.get(cases, headers={"Authorization": f"Api-Key {key}"})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "authentication_failed"
    assert CreditorAuditEvent.objects.filter(creditor=creditor, action="api_key_revoked").exists()


def test_only_the_creditors_admin_reaches_the_page(client, admin_and_creditor, make_user):
    creditor, admin = admin_and_creditor
    url = reverse("creditor-api-keys", args=[creditor.pk])
    for user in (make_user(creditor, role="user"), make_user(staff=True)):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "Mine", "role": "admin"}).status_code == 403
    assert not ApiKey.objects.exists()
    client.force_login(admin)
    settings_page = client.get(reverse("creditor-settings", args=[creditor.pk]))
    assert url in settings_page.content.decode()


def test_machine_users_are_not_in_the_users_list(client, admin_and_creditor, make_user):
    creditor, admin = admin_and_creditor
    api_key, _ = api_key_create(creditor=creditor, actor=admin, name="Program", role="admin")
    machine = api_key.user.get_username()
    client.force_login(admin)
    page = client.get(reverse("creditor-users", args=[creditor.pk])).content.decode()
    assert admin.get_username() in page and machine not in page
    api = client.get(reverse("api-creditor-users", args=[creditor.pk])).json()
    assert [m["username"] for m in api["members"]] == [admin.get_username()]
    # The key's user is no one to give a role by name, nor to count as an admin.
    added = client.post(
        reverse("creditor-user-add", args=[creditor.pk]), {"username": machine, "role": "user"}
    )
    assert "no user with that username" in client.get(added["Location"]).content.decode()
    support = make_user(staff=True)
    client.force_login(support)
    own = Membership.objects.get(creditor=creditor, user=admin)
    gone = client.post(reverse("creditor-user-remove", args=[creditor.pk, own.pk]))
    assert "last admin" in client.get(gone["Location"]).content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    key_membership = Membership.objects.get(user=api_key.user)
    removed = client.post(reverse("creditor-user-remove", args=[creditor.pk, key_membership.pk]))
    assert removed.status_code == 404  # revoked on the API-keys page, not removed here
