"""The portal's language (issue 9 item 4): the user's stored choice, else the browser's
Accept-Language, else the creditor's country; dates and amounts as nordic.formatting writes them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from creditors.models import UserPreference
from creditors.preferences import user_language_set
from nordic.formatting import format_date, format_money

pytestmark = pytest.mark.django_db


def _language(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    lang = html.split('<html lang="', 1)[1].split('"', 1)[0]
    assert lang == response["Content-Language"]
    return lang


def _browser(accept_language: str | None = None) -> Client:
    return Client(headers={"Accept-Language": accept_language} if accept_language else {})


def test_the_users_choice_wins_over_the_browser_and_the_creditor(make_creditor, make_user):
    creditor = make_creditor(country="NO")
    user = make_user(creditor)
    user_language_set(user=user, language="sv")
    client = _browser("fi-FI,fi;q=0.9")
    client.force_login(user)
    assert _language(client.get(f"/c/{creditor.pk}/users/")) == "sv"
    assert _language(client.get("/me/")) == "sv"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nb-NO,nb;q=0.9,en;q=0.8", "nb"),
        ("no", "nb"),  # what many browsers send for Norwegian
        ("de-DE,fi;q=0.8,sv;q=0.5", "fi"),  # the first one we have
        ("sv-SE", "sv"),
        ("en-GB,en;q=0.9", "en"),
    ],
)
def test_without_a_choice_the_browser_decides(make_creditor, make_user, header, expected):
    creditor = make_creditor(country="FI")
    client = _browser(header)
    client.force_login(make_user(creditor))
    assert _language(client.get(f"/c/{creditor.pk}/users/")) == expected


@pytest.mark.parametrize(("country", "expected"), [("SE", "sv"), ("NO", "nb"), ("FI", "fi")])
def test_else_the_creditors_country_decides(make_creditor, make_user, country, expected):
    creditor = make_creditor(country=country)
    client = _browser("de-DE,de;q=0.9")  # nothing we translate
    client.force_login(make_user(creditor))
    assert _language(client.get(f"/c/{creditor.pk}/users/")) == expected
    # a page of no creditor in particular: the user's creditor
    assert _language(client.get("/me/")) == expected
    # no browser header at all
    bare = _browser()
    bare.force_login(make_user(creditor))
    assert _language(bare.get(f"/c/{creditor.pk}/users/")) == expected


def test_another_tenants_creditor_does_not_set_the_language(make_creditor, make_user):
    mine, theirs = make_creditor(country="NO"), make_creditor(country="FI")
    client = _browser("de")
    client.force_login(make_user(mine))
    response = client.get(f"/c/{theirs.pk}/cases/")
    assert response.status_code == 404
    assert response["Content-Language"] != "fi"  # would tell that the id is a Finnish creditor


def test_the_switcher_stores_the_choice_and_forgets_it(make_creditor, make_user):
    creditor = make_creditor(country="NO")
    user = make_user(creditor)
    client = _browser("en")
    client.force_login(user)
    cases = f"/c/{creditor.pk}/users/"

    response = client.post("/language/", {"language": "fi", "next": cases})
    assert response.status_code == 302 and response["Location"] == cases
    assert UserPreference.objects.get(user=user).language == "fi"
    assert _language(client.get(cases)) == "fi"
    # stored, not only in this browser: another device without the cookie
    other = _browser("en")
    other.force_login(user)
    assert _language(other.get(cases)) == "fi"

    client.post("/language/", {"language": "", "next": cases})
    assert UserPreference.objects.get(user=user).language == ""
    assert _language(client.get(cases)) == "en"


def test_the_switcher_refuses_unknown_languages_and_foreign_redirects(make_creditor, make_user):
    client = _browser("en")
    client.force_login(make_user(make_creditor()))
    assert client.post("/language/", {"language": "de"}).status_code == 400
    response = client.post("/language/", {"language": "sv", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/language/").status_code == 405


def test_the_choice_before_login_is_kept_by_the_cookie():
    client = _browser("en")
    assert _language(client.get("/login/")) == "en"
    client.post("/language/", {"language": "nb", "next": "/login/"})
    assert _language(client.get("/login/")) == "nb"


@pytest.mark.parametrize("language", ["sv", "nb", "fi", "en"])
def test_dates_and_amounts_on_pages_as_on_the_letters(language):
    """Plain {{ date }} and the money filter give what nordic.formatting puts on the letters."""
    day, amount = dt.date(2026, 6, 3), Decimal("12538.5")
    template = Template("{% load money %}{{ day }}|{{ amount|money:'EUR' }}")
    with translation.override(language):
        shown_day, shown_amount = template.render(Context({"day": day, "amount": amount})).split(
            "|"
        )
    assert shown_day == format_date(day, language)
    if language == "en":
        assert shown_amount == "12,538.50 EUR"
    else:
        assert shown_amount == format_money(amount, "EUR", language)


def test_a_pause_in_swedish_is_recorded_in_one_language(make_creditor, make_case, make_user):
    """The case history is stored text: the reason is written in English whoever pauses."""
    creditor = make_creditor()
    case = make_case(creditor)
    user = make_user(creditor, role="admin")
    user_language_set(user=user, language="sv")
    client = _browser("sv")
    client.force_login(user)
    response = client.post(f"/c/{creditor.pk}/cases/{case.number}/pause/", {"reason": "disputed"})
    assert response.status_code == 302
    assert case.events.get(kind="paused").message == "The debtor disputes the claim."


def test_a_stage_move_is_recorded_in_one_language(make_creditor, make_case):
    from cases.lifecycle import transition

    case = make_case(make_creditor())
    with translation.override("fi"):
        event = transition(case, "reminder", on=dt.date(2026, 11, 3))
        assert str(case.get_stage_display()) == "Maksumuistutus"  # the page still speaks Finnish
    assert event.message == "Moved to Payment reminder"


@pytest.mark.parametrize("ui_language", ["sv", "fi", "en"])
def test_a_letter_is_written_in_its_own_language_whatever_the_page_speaks(ui_language):
    """A letter rendered during a portal request (a user in Swedish answering a decision for a
    Norwegian creditor) is the same letter: the page's language does not leak into it."""
    from letters.context import example_context
    from letters.rendering import render_letter_html

    ctx = example_context("NO", "reminder", "nb", invoices=2)
    with translation.override("nb"):
        expected = render_letter_html(ctx)
    with translation.override(ui_language):
        assert render_letter_html(ctx) == expected


def test_the_signing_tick_is_translated_for_one_agreement_too():
    """Its words are also the singular of the template's plural entry (one catalogue entry)."""
    from collection.onboarding_forms import SignForm

    with translation.override("fi"):
        assert str(SignForm().fields["i_sign"].label) == (
            "Olen lukenut sopimuksen ja allekirjoitan sen"
        )
