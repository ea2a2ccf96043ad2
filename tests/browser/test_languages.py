"""The same case list in Swedish, Norwegian, Finnish and English (issue 9 item 4), chosen by the
browser's Accept-Language and by the user's own choice in the header; and the portal at a phone's
width. Screenshots in var/screenshots/test_*-<label>.png."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.rules import load_rule_tables
from creditors.models import Membership, UserPreference
from nordic.formatting import normalize_space
from tests.browser.conftest import PASSWORD, SCREENSHOTS, log_in

pytestmark = pytest.mark.django_db(transaction=True)

OPENED = dt.date(2026, 11, 2)
# What a reader of each language sees on the case list: words from the catalogues (locale/) and
# the date and amount as the letters write them (nordic.formatting).
EXPECTED = {
    "sv": {
        "heading": "Ärenden för Fjordvik Rørlegger AS",
        "columns": ["Gäldenär", "Utestående"],
        "logout": "Logga ut",
        "amount": "12 538,50 NOK",
        "date": "2026-11-02",
    },
    "nb": {
        "heading": "Saker for Fjordvik Rørlegger AS",
        "columns": ["Skyldner", "Utestående"],
        "logout": "Logg ut",
        "amount": "12 538,50 kr",
        "date": "02.11.2026",
    },
    "fi": {
        "heading": "Perintäasiat: Fjordvik Rørlegger AS",
        "columns": ["Velallinen", "Avoinna"],
        "logout": "Kirjaudu ulos",
        "amount": "12 538,50 NOK",
        "date": "2.11.2026",
    },
    "en": {
        "heading": "Cases for Fjordvik Rørlegger AS",
        "columns": ["Debtor", "Outstanding"],
        "logout": "Log out",
        "amount": "12,538.50 NOK",
        "date": "2 Nov 2026",
    },
}


@pytest.fixture
def kari(make_creditor, make_case):
    # The rule book comes from a data migration, which the flush after another transactional
    # test deleted (and a serialized rollback cannot bring back after a plain flush): load it.
    load_rule_tables()
    creditor = make_creditor("Fjordvik Rørlegger AS", country="NO")
    make_case(creditor, amount=Decimal("12538.50"), today=OPENED)
    make_case(creditor, amount=Decimal("980.00"), today=OPENED)
    user = get_user_model().objects.create_user("kari", password=PASSWORD)
    Membership.objects.create(user=user, creditor=creditor, role=Membership.Role.ADMIN)
    return user, creditor


def _context(browser, live_server, locale, **options):
    context = browser.new_context(base_url=live_server.url, locale=locale, **options)
    context.set_default_timeout(15_000)
    return context


def _shot(page, label):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"test_languages-{label}.png"), full_page=True)


def _assert_case_list_in(page, language):
    expected = EXPECTED[language]
    assert page.locator("html").get_attribute("lang") == language
    assert normalize_space(page.locator("h1").inner_text()) == expected["heading"]
    text = normalize_space(page.locator("main").inner_text())
    header = normalize_space(page.locator("header").text_content())
    for column in expected["columns"]:
        assert column in text, (language, column)
    assert expected["logout"] in header
    assert expected["amount"] in text, (language, expected["amount"])
    assert expected["date"] in text, (language, expected["date"])
    # the switcher shows the language in its own name
    assert page.locator("#language-switch").input_value() == language


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [("sv-SE", "sv"), ("nb-NO", "nb"), ("fi-FI", "fi"), ("en-GB", "en")],
)
def test_the_case_list_in_the_browsers_language(
    browser, live_server, kari, accept_language, language
):
    context = _context(browser, live_server, accept_language)
    page = context.new_page()
    log_in(page, "kari")
    _assert_case_list_in(page, language)
    _shot(page, f"case-list-{language}")
    context.close()


def test_the_users_choice_beats_the_browser_and_follows_the_user(browser, live_server, kari):
    user, _ = kari
    context = _context(browser, live_server, "en-GB")
    page = context.new_page()
    log_in(page, "kari")
    _assert_case_list_in(page, "en")
    for language in ("fi", "sv", "nb"):
        with page.expect_navigation():
            page.select_option("#language-switch", language)
        _assert_case_list_in(page, language)
        assert UserPreference.objects.get(user=user).language == language
    context.close()

    # another browser, in another language, on another day: the stored choice still applies
    other = _context(browser, live_server, "sv-SE")
    page = other.new_page()
    log_in(page, "kari")
    _assert_case_list_in(page, "nb")

    # and the user's own page forgets it: back to the browser's language
    page.goto("/me/")
    page.check("input[name=language][value='']")
    page.click("#me button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert UserPreference.objects.get(user=user).language == ""
    other.close()


def test_the_portal_on_a_phone(browser, live_server, kari):
    context = _context(
        browser,
        live_server,
        "nb-NO",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    log_in(page, "kari")
    _assert_case_list_in(page, "nb")

    def page_width():
        return page.evaluate("document.documentElement.scrollWidth")

    # the navigation is folded behind the menu button; the page never scrolls sideways
    assert page.locator(".nav-button").is_visible()
    assert not page.locator("#language-switch").is_visible()
    assert page_width() <= 390
    _shot(page, "phone-case-list")
    page.click(".nav-button")
    assert page.locator("#language-switch").is_visible()
    assert page.locator("header button").last.is_visible()  # log out
    _shot(page, "phone-menu-open")

    # a form takes the whole width; a wide table scrolls inside its card, not the page
    search = page.locator("form.filters input[name=q], input[name=q]").first
    assert search.bounding_box()["width"] > 300
    detail = page.goto(page.locator("tbody a").first.get_attribute("href"))
    assert detail.ok, detail.status
    assert page_width() <= 390
    _shot(page, "phone-case-detail")

    # every page of the creditor's portal fits the phone's width
    _, creditor = kari
    for name in ("dashboard", "sync-runs", "creditor-settings", "creditor-users"):
        response = page.goto(reverse(name, kwargs={"creditor_id": creditor.pk}))
        assert response.ok, (name, response.status)
        assert page_width() <= 390, name
    _shot(page, "phone-settings")
    page.goto("/me/")
    assert page_width() <= 390

    context.clear_cookies()
    page.goto("/login/")
    assert page_width() <= 390
    assert page.locator("input[name=username]").bounding_box()["width"] > 300
    _shot(page, "phone-login")
    context.close()
