"""Accounts (issue 9 item 7): log in by e-mail or username through the login form, with
django-axes counting the failures of both against the one account; the password reset by e-mail
end to end through the outbox; friendly 404/403/500 pages with DEBUG off, the 500 one rendered
without the database or the request's user."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def kari(django_user_model):
    return django_user_model.objects.create_user(
        "kari", email="Kari@Fjordvik.no", password=PASSWORD
    )


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_log_in_by_email_or_username(client, kari):
    response = log_in(client, "kari@fjordvik.no")  # the case of an address does not matter
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == kari.pk
    client.logout()
    assert log_in(client, "kari").status_code == 302
    client.logout()
    page = log_in(client, "kari@fjordvik.no", "wrong").content.decode()
    assert "did not match" in page and "_auth_user_id" not in client.session


def test_a_shared_email_logs_nobody_in(client, kari, django_user_model):
    django_user_model.objects.create_user("kari2", email="kari@fjordvik.no", password=PASSWORD)
    assert log_in(client, "kari@fjordvik.no").status_code == 200
    assert "_auth_user_id" not in client.session


def test_axes_counts_email_and_username_failures_against_the_account(client, kari, settings):
    """Five failures, mixing the two spellings, lock the account (counted apart they would not:
    three and two); the right password by either then gets the lockout too."""
    settings.AXES_LOCKOUT_PARAMETERS = ["username"]  # the IP lock alone would hide the point
    for name in ["kari", "KARI@fjordvik.no", "kari", "kari@fjordvik.no"]:
        assert log_in(client, name, "wrong").status_code == 200
    assert log_in(client, "Kari@Fjordvik.no", "wrong").status_code == 429  # the fifth locks
    assert log_in(client, "kari@fjordvik.no").status_code == 429
    assert log_in(client, "kari").status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_end_to_end(client, kari):
    response = client.post(reverse("password_reset"), {"email": "kari@fjordvik.no"})
    assert response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["Kari@fjordvik.no"]
    assert message.subject == "Reset your AutoCollect password"
    assert "Your username, if you need it: kari." in message.body
    link = re.search(r"http://testserver(/password-reset/\S+/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)  # Django swaps the token for a session key
    assert "Choose a new password" in form.content.decode()
    new = "a-brand-new-password-2"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Your new password is set" in done.content.decode()
    assert log_in(client, "kari@fjordvik.no", new).status_code == 302
    # The link works once.
    again = Client().get(link, follow=True).content.decode()
    assert "This link does not work any more" in again


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.no"}, follow=True)
    assert "If an account has that e-mail address" in response.content.decode()
    assert mail.outbox == []


def test_the_login_page_offers_the_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert "E-mail or username" in page and reverse("password_reset") in page


def boom(request):
    raise RuntimeError("a bug")


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", boom), path("", include("autocollect.urls"))]


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_error_pages_are_friendly_with_debug_off(client, make_creditor, make_user):
    creditor = make_creditor()
    user = make_user(creditor)  # a creditor user: settings changes are the admin's
    client.force_login(user)

    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page and "Traceback" not in page
    response = client.get(reverse("case-list", args=[creditor.pk + 1000]))
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()

    response = client.post(reverse("creditor-company", args=[creditor.pk]), {})
    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()

    crashing = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = crashing.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "RuntimeError" not in page and "a bug" not in page
    assert len(queries) == 0  # the page needs no database (and no user: none was looked up)
