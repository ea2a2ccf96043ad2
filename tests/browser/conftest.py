"""Browser tests: Playwright for Python driving Debian's Chromium (scripts/system-deps.sh installs
it; Playwright's own browser download is not reachable from here) against Django's live server
over real HTTP. Screenshots of the pages go to var/screenshots/ for a person to look at."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; the live server's ORM calls are
# in other threads, so Django's async guard is off for these tests only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "a-long-browser-test-password"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test` (scripts/system-deps.sh installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """screenshot("case-list") saves the page as var/screenshots/<test>-case-list.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = os.environ.get("PYTEST_CURRENT_TEST", "test").split("::")[-1].split(" ")[0]

    def take(label: str) -> Path:
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Through the login form, as a person would (django-axes sees a real request)."""
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    # The click starts a navigation; wait until the browser has left the login page.
    page.wait_for_url(lambda url: "/login/" not in url)


def shows(page, text: str) -> None:
    """Waits (up to the default timeout) until the page's text holds `text`: right after a click
    the next page may not have arrived yet, and page.content() would read a page mid-navigation."""
    from playwright.sync_api import expect

    expect(page.locator("body")).to_contain_text(text)
