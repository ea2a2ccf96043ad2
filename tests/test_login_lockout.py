"""A locked-out login (django-axes) answers as the rest of its surface does: under /api/ in the
API's one error format with a 429 and Retry-After (the token endpoint and basic auth), on the
portal with a page of ours in the reader's language instead of axes' bare English sentence."""

import base64

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

COOLOFF = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))


def _locked_error(response):
    assert response.status_code == 429, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == COOLOFF
    error = response.json()["error"]
    assert error["code"] == "locked_out" and error["fields"] == {}
    assert "locked for 15 minutes" in error["message"]
    return error


def test_token_lockout_is_in_the_api_error_format(client, make_user, make_creditor):
    user = make_user(make_creditor())
    wrong = {"username": user.username, "password": "guess"}
    first = client.post("/api/auth/token/", wrong, content_type="application/json")
    assert first.status_code == 401 and first.json()["error"]["code"] == "authentication_failed"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", wrong, content_type="application/json")
    right = {"username": user.username, "password": "pw-for-tests-1"}
    _locked_error(client.post("/api/auth/token/", right, content_type="application/json"))


def test_basic_auth_lockout_is_in_the_api_error_format(client, make_user, make_creditor):
    creditor = make_creditor()
    user = make_user(creditor)
    url = reverse("api-case-list", args=[creditor.pk])

    def basic(password):
        raw = base64.b64encode(f"{user.username}:{password}".encode()).decode()
        return {"HTTP_AUTHORIZATION": f"Basic {raw}"}

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.get(url, **basic("guess"))
    _locked_error(client.get(url, **basic("pw-for-tests-1")))


def test_portal_lockout_is_a_page_in_the_readers_language(client, make_user, make_creditor):
    user = make_user(make_creditor())
    login = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": user.username, "password": "guess"})
    right = {"username": user.username, "password": "pw-for-tests-1"}
    response = client.post(login, right, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 429 and response["Retry-After"] == COOLOFF
    page = response.content.decode()
    assert 'id="locked-out"' in page and "15" in page
    assert "Too many failed logins" not in page  # Swedish, not English
    assert reverse("password_reset") in page
    english = client.post(login, right, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Too many failed logins" in english
