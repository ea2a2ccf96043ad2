"""Issue 7, item 10: insecure by default. Production is what runs unless dev mode is asked for by
name; it refuses a known key or DEBUG, passes `check --deploy`, throttles logins on the portal and
the API, validates passwords and logs idle sessions out."""

import base64
import datetime as dt
import json

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from autocollect.security import client_ip
from tests.deploy import manage, production_env


@pytest.mark.parametrize(
    "change, message",
    [
        # Nothing set at all: this used to start with DEBUG and the known key.
        (
            {"DJANGO_SECRET_KEY": None, "DJANGO_ALLOWED_HOSTS": None},
            "DJANGO_SECRET_KEY is not set",
        ),
        ({"DJANGO_SECRET_KEY": "dev-only-insecure-key-change-me"}, "too weak"),
        ({"DJANGO_SECRET_KEY": "change-me-in-production"}, "too weak"),  # the old compose key
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG is on outside dev mode"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS is not set"),
    ],
)
def test_production_refuses_to_start_insecure(tmp_path, change, message):
    result = manage(["check"], production_env(tmp_path, **change))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_dev_mode_starts_with_nothing_else_set(tmp_path):
    env = production_env(
        tmp_path,
        AUTOCOLLECT_DEV_MODE="1",
        DJANGO_SECRET_KEY=None,
        DJANGO_ALLOWED_HOSTS=None,
        AUTOCOLLECT_FERNET_KEYS=None,
    )
    result = manage(["shell", "-c", "from django.conf import settings; print(settings.DEBUG)"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_check_deploy_is_clean_in_production(tmp_path):
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


_HTTPS_PROBE = """
import json
import django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/login/")
proxied = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
health = client.get("/healthz")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "proxied": proxied.status_code,
    "hsts": proxied.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(proxied.cookies["csrftoken"]["secure"]),
    "health": health.status_code,
}))
"""


def test_production_is_https_only_behind_the_proxy(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="autocollect.settings")
    assert manage(["migrate", "--noinput"], env).returncode == 0
    result = manage(["shell", "-c", _HTTPS_PROBE], env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://testserver/login/"]
    assert seen["proxied"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["csrf_cookie_secure"] is True
    assert seen["health"] == 200  # the container healthcheck speaks plain http


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_failed_logins_lock_the_user_out_of_the_portal(client, make_user, make_creditor):
    user, colleague = make_user(make_creditor()), make_user(make_creditor())
    login = reverse("login")
    right = {"username": user.username, "password": "pw-for-tests-1"}
    assert client.post(login, right).status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": user.username, "password": "guess"})
    response = client.post(login, right)  # the right password, too late
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The username is locked from any address, and the address for any username.
    assert client.post(login, right, REMOTE_ADDR="198.51.100.7").status_code == 429
    other = {"username": colleague.username, "password": "pw-for-tests-1"}
    assert client.post(login, other).status_code == 429
    assert client.post(login, other, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_failed_logins_lock_the_user_out_of_the_api(client, make_user, make_creditor):
    creditor = make_creditor()
    user = make_user(creditor)
    url = reverse("api-case-list", args=[creditor.pk])
    right = _basic(user.username, "pw-for-tests-1")
    assert client.get(url, HTTP_AUTHORIZATION=right).status_code == 200

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.get(url, HTTP_AUTHORIZATION=_basic(user.username, "guess"))
        assert wrong.status_code == 401
    # The last failure locks; the right password, too late: DRF's BasicAuthentication goes
    # through axes as well, and says so in the API's error format (tests/test_login_lockout.py).
    assert client.get(url, HTTP_AUTHORIZATION=_basic(user.username, "guess")).status_code == 429
    assert client.get(url, HTTP_AUTHORIZATION=right).status_code == 429


@pytest.mark.parametrize("password", ["Kx9#mQ2", "password123", "4839201756", "ingrid.berg-1"])
def test_weak_passwords_are_refused(django_user_model, password):
    user = django_user_model(username="ingrid.berg", email="ingrid.berg@example.no")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_strong_password_is_taken(django_user_model):
    validate_password("vinter-Fjord-lykt-92", django_user_model(username="ingrid.berg"))


def test_an_idle_session_ends_and_each_request_renews_it(client, make_user, make_creditor):
    creditor = make_creditor()
    client.force_login(make_user(creditor))
    cases = reverse("case-list", args=[creditor.pk])
    response = client.get(cases)
    assert response.status_code == 200
    # Every request renews the session for the idle timeout, not for two weeks from login.
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    key = client.session.session_key
    assert Session.objects.get(pk=key).expire_date <= timezone.now() + dt.timedelta(minutes=31)

    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(cases)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_behind_the_proxy_failed_logins_count_against_the_client_not_the_proxy(rf, settings):
    forwarded = "1.2.3.4, 203.0.113.9"
    request = rf.post("/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == "10.0.0.2"  # no proxy configured: the header is anyone's
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The proxy appended the address it saw last; "1.2.3.4" came from the client and is ignored.
    assert client_ip(request) == "203.0.113.9"
