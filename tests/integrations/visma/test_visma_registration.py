"""The registration's Visma Connect sign-in without a browser, over real HTTP to the emulator
as identity provider (the whole road in the browser: tests/browser/test_visma_registration.py):
the state ties the callback to the browser that began, a code is good once, and a user of ours
with the same e-mail address is not taken over by someone signing in to Visma Connect."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client

from creditors.models import Creditor, Membership
from integrations.visma.emulator import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def web():
    return Client()  # this package's `client` fixture is the Visma.net API client


@pytest.fixture
def connect(visma, settings):
    settings.VISMA_CONNECT_URL = settings.VISMA_API_URL = visma.url
    settings.VISMA_CLIENT_ID, settings.VISMA_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    return visma


def sign_in(web) -> tuple[str, dict]:
    """Our /onboarding/visma/ to Visma Connect and back: the callback URL with code and state."""
    start = web.get("/onboarding/visma/")
    assert start.status_code == 302
    authorize = urlsplit(start["Location"])
    query = parse_qs(authorize.query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["redirect_uri"] == ["http://testserver/onboarding/visma/callback/"]
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    location = urlsplit(back.headers["Location"])
    return location.path, {k: v[0] for k, v in parse_qs(location.query).items()}


def test_signed_in_the_user_sees_their_companies_from_visma_net(web, connect, norrsken):
    path, params = sign_in(web)
    page = web.get(path, params, follow=True)
    assert page.redirect_chain[-1][0] == "/onboarding/visma/register/"
    text = page.content.decode()
    assert "Norrsken Bygg AB" in text and "5566778899" in text and "Vättern Konsult AB" in text
    user = get_user_model().objects.get(email=connect.seeded["user"]["email"])
    assert user.username == user.email and not user.has_usable_password()
    # The same code again (a reload, or someone who saw it) is refused by Visma Connect.
    again = web.get(path, params)
    assert again.status_code == 400


def test_a_callback_from_another_browser_is_refused(web, connect):
    path, params = sign_in(web)
    answer = web.get(path, {**params, "state": "forged"})
    assert answer.status_code == 400
    assert "did not go through" in answer.content.decode()
    assert not get_user_model().objects.exists()


def test_a_user_of_ours_with_the_same_e_mail_is_not_taken_over(web, connect):
    email = connect.seeded["user"]["email"]
    ours = get_user_model().objects.create_user(username=email, email=email, password="x" * 20)
    path, params = sign_in(web)
    web.get(path, params)
    signed_in = get_user_model().objects.get(pk=web.session["_auth_user_id"])
    assert signed_in.pk != ours.pk and signed_in.username.startswith("visma-connect:")


def test_our_user_working_for_one_of_the_person_s_companies_is_the_person(
    web, connect, visma_creditor, norrsken
):
    email = connect.seeded["user"]["email"]
    ours = get_user_model().objects.create_user(username=email, email=email, password="x" * 20)
    creditor = visma_creditor()
    Creditor.objects.filter(pk=creditor.pk).update(erp_company_id=norrsken["tenant_id"])
    Membership.objects.create(creditor=creditor, user=ours, role="admin")
    path, params = sign_in(web)
    web.get(path, params)
    assert int(web.session["_auth_user_id"]) == ours.pk
    ours.refresh_from_db()
    assert ours.check_password("x" * 20)  # their own password stays theirs


def test_a_company_registered_by_someone_else_is_not_offered(
    web, connect, visma_creditor, norrsken, make_user
):
    creditor = visma_creditor()
    Creditor.objects.filter(pk=creditor.pk).update(erp_company_id=norrsken["tenant_id"])
    make_user(creditor, role="admin")
    path, params = sign_in(web)
    page = web.get(path, params, follow=True).content.decode()
    assert f"{creditor.legal_name} is with AutoCollect already: its admin can add you" in page
    assert f'value="{norrsken["tenant_id"]}"' not in page  # no box to tick
    # Vättern, the one company left to register, is registered; Norrsken is not touched.
    answer = web.post("/onboarding/visma/register/", {"tenant": norrsken["tenant_id"]})
    assert answer["Location"] == "/onboarding/visma/agreement/"
    assert Membership.objects.filter(creditor=creditor).count() == 1
    mine = Membership.objects.get(user__email=connect.seeded["user"]["email"])
    assert mine.creditor.legal_name == "Vättern Konsult AB" and mine.role == "admin"
    # The agreement of a creditor this sign-in did not register is not shown (isolation walk's
    # exemption: the registration reaches only the creditors kept in its session).
    ours = web.get(f"/onboarding/visma/agreement/{mine.creditor.pk}.pdf")
    assert ours.status_code == 200 and ours["Content-Type"] == "application/pdf"
    theirs = web.get(f"/onboarding/visma/agreement/{creditor.pk}.pdf")
    assert theirs.status_code == 302 and theirs["Location"] == "/onboarding/visma/"
