"""A case's history and ledger in the reader's language (issue 9 item 4, review9 C): what
happened is stored as data (event kind + params, LedgerEntry.params) and rendered by
cases.describe on the case page and in the API, with the page's date and amount formats. The
stored English text is what an unknown kind or a row written before its parameters shows."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases import describe
from cases.models import CaseEvent, LedgerEntry, Payment
from cases.payments import payment_register
from cases.services import case_pause, event_add
from collection.advance import case_advance
from creditors.apikeys import api_key_create
from creditors.preferences import user_language_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(make_creditor, make_case, make_user, django_capture_on_commit_callbacks):
    """A Norwegian case: opened, reminded (interest and the reminder fee booked), 250 paid to
    the creditor, paused as disputed with a note the user typed."""
    creditor = make_creditor(country="NO")
    case = make_case(creditor)
    with django_capture_on_commit_callbacks(execute=True):
        case_advance(case_id=case.pk, today=dt.date(2026, 11, 2))
    payment_register(
        case=case,
        source=Payment.Source.DIRECT,
        external_id="bank-1",
        amount=Decimal("250.00"),
        paid_on=dt.date(2026, 11, 10),
    )
    case_pause(case=case, reason="disputed", note="Kunden ringte 12. november")
    case.refresh_from_db()
    return creditor, case, make_user(creditor, role="admin")


def _section(page: str, section: str) -> str:
    return re.search(rf'id="{section}".*?</table>', page, re.S).group(0)


def _flat(text: str) -> str:
    return text.replace("\u00a0", " ")


# (language, opened, moved, payment, paused, interest period, reminder fee)
EXPECTED = [
    (
        "nb",
        "Sak åpnet på faktura {invoice}",
        "Flyttet til Purring",
        "Betaling på 250,00 kr (Betalt til kreditor)",
        "Satt på pause: Skyldneren bestrider kravet",
        "Rente 12,25 %, 02.10.2026–02.11.2026",
        "Gebyr: Purring",
    ),
    (
        "sv",
        "Ärendet öppnades på faktura {invoice}",
        "Flyttat till ",
        "Betalning på 250,00 NOK",
        "Pausat: ",
        "Ränta 12,25 %, 2026-10-02–2026-11-02",
        "Avgift: ",
    ),
    (
        "fi",
        "Asia avattu laskusta {invoice}",
        "Siirretty vaiheeseen ",
        "Maksu 250,00 NOK",
        "Keskeytetty: ",
        "Korko 12,25 %, 2.10.2026–2.11.2026",
        "Kulu: ",
    ),
]


@pytest.mark.parametrize("row", EXPECTED, ids=[r[0] for r in EXPECTED])
def test_the_case_page_shows_history_and_ledger_in_the_readers_language(client, worked, row):
    creditor, case, admin = worked
    language, opened, moved, paid, paused, interest, fee = row
    invoice = case.invoices.get().number
    client.force_login(admin)
    page = client.get(
        f"/c/{creditor.pk}/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    timeline, ledger = _flat(_section(page, "timeline")), _flat(_section(page, "ledger"))
    assert opened.format(invoice=invoice) in timeline
    assert moved in timeline and paid in timeline and paused in timeline
    assert "Kunden ringte 12. november" in timeline  # a person's note as typed
    for english in ("Case opened", "Moved to", "Payment of", "disputes the claim"):
        assert english not in timeline
    assert interest in ledger and fee in ledger
    assert "interest 2026" not in ledger and "reminder fee" not in ledger


def test_the_api_writes_history_and_ledger_in_the_readers_language(client, worked):
    creditor, case, admin = worked
    _, key = api_key_create(creditor=creditor, actor=admin, name="ERP", role="admin")
    client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    url = f"/api/creditors/{creditor.pk}/cases/{case.number}/"
    invoice = case.invoices.get().number

    finnish = client.get(url, HTTP_ACCEPT_LANGUAGE="fi").json()
    messages = [_flat(e["message"]) for e in finnish["events"]]
    assert messages[0] == f"Asia avattu laskusta {invoice}"
    assert "Maksu 250,00 NOK (Maksettu velkojalle)" in messages
    texts = [_flat(e["text"]) for e in finnish["ledger"]]
    assert f"Lasku {invoice}" in texts and "Korko 12,25 %, 2.10.2026–2.11.2026" in texts

    # No Accept-Language, no choice of the key's user: the creditor's country's language.
    bare = Client(headers={"Authorization": f"Api-Key {key}"})
    norwegian = bare.get(url).json()
    assert _flat(norwegian["events"][0]["message"]) == f"Sak åpnet på faktura {invoice}"
    events = client.get(url + "events/", HTTP_ACCEPT_LANGUAGE="sv").json()["results"]
    assert _flat(events[0]["message"]) == f"Ärendet öppnades på faktura {invoice}"
    # The stored text stays English, whoever reads it.
    assert CaseEvent.objects.get(case=case, kind="opened").message.startswith("Case opened")


def test_a_users_own_language_wins_in_the_api(client, worked):
    creditor, case, admin = worked
    user_language_set(user=admin, language="sv")
    client.force_login(admin)
    got = client.get(
        f"/api/creditors/{creditor.pk}/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="fi"
    ).json()
    assert _flat(got["events"][0]["message"]).startswith("Ärendet öppnades på faktura")


def test_every_row_the_workflow_wrote_is_rendered_from_its_data(worked):
    """No row of this case's history or ledger falls back to its stored English text."""
    _, case, _ = worked
    with translation.override("nb"):
        for event in case.events.all():
            assert describe.EVENTS.get(event.kind), event.kind
            assert describe.event_text(event) != event.message, event.kind
        for entry in case.ledger.exclude(kind=LedgerEntry.Kind.PAYMENT):
            assert entry.params.get("what") in describe.ENTRIES, entry.description
            assert describe.entry_text(entry) != entry.description


def test_an_unknown_kind_or_an_old_row_shows_its_stored_text(client, worked):
    creditor, case, admin = worked
    event_add(case, "mystery_kind", "Something the old code wrote", detail=1)
    # written before this change: a move whose text held a note the data does not have
    CaseEvent.objects.create(
        creditor=creditor, case=case, kind="stage", from_stage="reminder", to_stage="notice",
        message="Decided by the creditor (old row)",
    )  # fmt: skip
    old = case.ledger.get(component="fee", kind=LedgerEntry.Kind.CHARGE)
    old_entry = LedgerEntry(description="reminder fee (old row)", params={})
    unknown_entry = LedgerEntry(description="stored text", params={"what": "no_such_kind"})
    with translation.override("nb"):
        assert describe.entry_text(old_entry) == "reminder fee (old row)"
        assert describe.entry_text(unknown_entry) == "stored text"
        assert describe.entry_text(old) == "Gebyr: Purring"
    client.force_login(admin)
    page = client.get(
        f"/c/{creditor.pk}/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="nb"
    ).content.decode()
    timeline = _section(page, "timeline")
    assert "Something the old code wrote" in timeline
    assert "Decided by the creditor (old row)" in timeline


def test_the_case_page_runs_the_same_queries_for_few_and_many_events(client, worked):
    creditor, case, admin = worked
    client.force_login(admin)
    url = f"/c/{creditor.pk}/cases/{case.number}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, HTTP_ACCEPT_LANGUAGE="nb").status_code == 200
        return len(queries)

    client.get(url)  # warm: session, preferences
    few = count()
    for i in range(25):
        event_add(case, "payment", f"Payment {i}", amount="1.00", currency="NOK", source="direct")
    many = count()
    assert many == few
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert _flat(page).count("Betaling på 1,00 kr (Betalt til kreditor)") == 25
