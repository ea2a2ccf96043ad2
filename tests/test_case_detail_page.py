"""The case page as a user reads it (found trying the demo as a new user): a letter and a history
row name the stage in the page's language, not by its code; withdrawing or writing off a case
(which cannot be undone) asks first, as the bulk actions do."""

import datetime as dt
import re

import pytest

from collection.advance import case_advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def lettered(make_creditor, make_case, make_user, django_capture_on_commit_callbacks):
    creditor = make_creditor(country="NO")
    case = make_case(creditor)
    with django_capture_on_commit_callbacks(execute=True):
        case_advance(case_id=case.pk, today=dt.date(2026, 11, 2))
    return creditor, case, make_user(creditor, role="admin")


def _section(page: str, section: str) -> str:
    return re.search(rf'id="{section}".*?</table>', page, re.S).group(0)


def test_stages_are_named_in_the_pages_language(client, lettered):
    creditor, case, admin = lettered
    client.force_login(admin)
    url = f"/c/{creditor.pk}/cases/{case.number}/"
    norwegian = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    letters = _section(norwegian, "letters")
    assert "Purring" in letters and "Reminder" not in letters
    assert "(Ny → Purring)" in _section(norwegian, "timeline")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Payment reminder" in _section(english, "letters")


def test_withdraw_and_write_off_ask_first(client, lettered):
    creditor, case, admin = lettered
    client.force_login(admin)
    page = client.get(
        f"/c/{creditor.pk}/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    for anchor, action, asks in (
        ("confirm-withdraw", "withdraw", f"Withdraw case {case.number}?"),
        ("confirm-write-off", "write-off", f"Write off case {case.number}?"),
    ):
        block = re.search(rf'<details class="confirm" id="{anchor}">.*?</details>', page, re.S)
        assert block is not None, anchor
        assert f"/{action}/" in block.group(0) and asks in block.group(0)
        # the form posting the action is only inside the confirmation
        assert page.count(f'{case.number}/{action}/"') == 1
