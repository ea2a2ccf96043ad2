"""Tickets from every source, refreshed idempotently: one per kind and source, opened while the
source needs a person, closed by itself when the source is dealt with (where that can be seen),
reopened by a new creditor message or a new flag."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.messages import message_post
from cases.models import Case, DecisionRequest
from cases.services import case_flag, case_flag_clear
from collection.advance import case_advance
from collection.models import SyncRun
from collection.payments import incoming_payment_register
from collection.quarantine import quarantine_record, quarantine_release
from letters.models import Letter
from letters.services import letter_render
from support.models import Ticket
from support.refresh import tickets_refresh
from support.services import ticket_close

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
K = Ticket.Kind


def tickets(kind, **kw):
    return list(Ticket.objects.filter(kind=kind, **kw))


def refreshed_twice(kind):
    """Refresh twice: the second finds nothing to change (idempotent)."""
    tickets_refresh()
    before = list(Ticket.objects.filter(kind=kind).values())
    assert tickets_refresh()[kind] == 0
    assert list(Ticket.objects.filter(kind=kind).values()) == before
    return tickets(kind)


def test_creditor_messages_one_ticket_per_thread_reopened_by_a_new_message(
    make_creditor, make_case, make_user
):
    creditor = make_creditor()
    case = make_case(creditor)
    user, staff = make_user(creditor), make_user(staff=True)
    message_post(creditor=creditor, case=case, author=user, body="Please pause, disputed.")
    message_post(creditor=creditor, case=case, author=user, body="Also: call me.")
    message_post(creditor=creditor, author=user, body="New payout account?")
    # support's own messages are no work for support
    message_post(creditor=creditor, case=case, author=staff, body="Hi", from_support=True)

    found = refreshed_twice(K.MESSAGE)
    assert {(t.source, t.case_id, t.subject) for t in found} == {
        (f"case:{case.pk}", case.pk, "Please pause, disputed."),
        (f"creditor:{creditor.pk}", None, "New payout account?"),
    }
    on_case = Ticket.objects.get(kind=K.MESSAGE, case=case)
    ticket_close(ticket=on_case, user=staff)
    assert refreshed_twice(K.MESSAGE)  # closing reads the thread: it stays closed
    on_case.refresh_from_db()
    assert on_case.status == "closed"

    message_post(creditor=creditor, case=case, author=user, body="Any news?")
    tickets_refresh()
    on_case.refresh_from_db()
    assert on_case.status == "open" and on_case.closed_at is None
    assert Ticket.objects.filter(kind=K.MESSAGE).count() == 2


def test_failed_import_closed_by_a_later_run_that_works(make_creditor):
    creditor = make_creditor()
    failed = SyncRun.objects.create(
        creditor=creditor, as_of=DAY, status="failed", error="401 Unauthorized from Tripletex"
    )
    [ticket] = refreshed_twice(K.SYNC_FAILED)
    assert (ticket.source, ticket.creditor, ticket.status) == (str(failed.pk), creditor, "open")
    assert "401" in ticket.subject

    SyncRun.objects.create(creditor=creditor, as_of=DAY, status="ok")
    refreshed_twice(K.SYNC_FAILED)
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.closed_by is None


def test_quarantined_record_ticket_closes_when_the_record_imports(make_creditor):
    creditor = make_creditor()
    quarantine_record(
        creditor=creditor, run=None, kind="invoice", erp_id="77", reason="no customer"
    )
    [ticket] = refreshed_twice(K.QUARANTINED)
    assert ticket.creditor == creditor and "invoice 77: no customer" in ticket.subject
    # seen again by the next run: still the same one ticket
    quarantine_record(creditor=creditor, run=None, kind="invoice", erp_id="77", reason="again")
    assert len(refreshed_twice(K.QUARANTINED)) == 1

    quarantine_release(creditor=creditor, kind="invoice", erp_ids={"77"})
    tickets_refresh()
    ticket.refresh_from_db()
    assert ticket.status == "closed"


def test_unmatched_payment_ticket(make_creditor):
    incoming = incoming_payment_register(
        external_id="bank-9",
        reference="12345",
        amount=Decimal("100.00"),
        currency="NOK",
        paid_on=DAY,
    )
    [ticket] = refreshed_twice(K.UNMATCHED_PAYMENT)
    assert ticket.source == str(incoming.pk) and ticket.creditor is None
    assert "100.00 NOK 12345" in ticket.subject


def test_failing_letter_is_a_delivery_ticket_not_also_a_flagged_case(
    settings, make_creditor, make_case
):
    creditor = make_creditor()
    case = make_case(creditor, today=DAY)
    case_advance(case_id=case.pk, today=DAY)
    letter = Letter.objects.get(case=case)
    letter.file.delete(save=False)
    Letter.objects.filter(pk=letter.pk).update(
        status="pending",
        file="",
        sha256="",
        rendered_at=None,
        render_attempts=settings.AUTOCOLLECT_LETTER_RENDER_ATTEMPTS,
        last_error="OSError: disk",
    )
    case_flag(case=case, reason="The reminder letter could not be made")

    [ticket] = refreshed_twice(K.DELIVERY)
    assert (ticket.case, ticket.source) == (case, str(letter.pk))
    assert refreshed_twice(K.FLAGGED_CASE) == []

    letter_render(letter_id=letter.pk)  # the cause was fixed: the next attempt sends it
    tickets_refresh()
    ticket.refresh_from_db()
    assert ticket.status == "closed"


def test_flagged_case_closed_when_cleared_and_reopened_by_a_new_flag(
    make_creditor, make_case, make_user
):
    case = make_case(make_creditor())
    staff = make_user(staff=True)
    case_flag(case=case, reason="The invoice is no longer in the ERP")
    [ticket] = refreshed_twice(K.FLAGGED_CASE)
    assert ticket.case == case and ticket.subject == "The invoice is no longer in the ERP"

    case_flag_clear(case=case, actor=staff)
    tickets_refresh()
    ticket.refresh_from_db()
    assert ticket.status == "closed"

    case_flag(case=case, reason="Flagged again")
    tickets_refresh()
    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert Ticket.objects.filter(kind=K.FLAGGED_CASE).count() == 1

    ticket_close(ticket=ticket, user=staff)  # support dealt with it: the flag goes too
    case.refresh_from_db()
    assert case.support_flag == ""


def test_missed_decision_deadline(make_creditor, make_case):
    case = make_case(make_creditor(), today=DAY)
    day = DAY
    while case.stage != Case.Stage.DECISION:
        case_advance(case_id=case.pk, today=day)
        case.refresh_from_db()
        day = case.next_action_on or day
    decision = DecisionRequest.objects.get(case=case)
    on_deadline = timezone.make_aware(dt.datetime.combine(decision.deadline, dt.time(12)))

    tickets_refresh(now=on_deadline)
    assert tickets(K.MISSED_DEADLINE) == []
    after = on_deadline + dt.timedelta(days=1)
    tickets_refresh(now=after)
    [ticket] = tickets(K.MISSED_DEADLINE)
    assert tickets_refresh(now=after)[K.MISSED_DEADLINE] == 0
    assert (ticket.case, ticket.source) == (case, str(decision.pk))


def test_refresh_runs_the_same_queries_for_few_and_many_sources(make_creditor, make_case):
    """Cheap enough for beat and every console load: a fixed number of statements, however many
    sources there are (here: 1, then 20 of every kind that is quick to make)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    creditor = make_creditor()

    def add(n):
        for i in range(n):
            seq = Ticket.objects.count() + i
            message_post(creditor=creditor, case=make_case(creditor), author=None, body="Hi")
            SyncRun.objects.create(creditor=creditor, as_of=DAY, status="failed", error="x")
            quarantine_record(
                creditor=creditor, run=None, kind="invoice", erp_id=f"q{seq}", reason="r"
            )
            incoming_payment_register(
                external_id=f"b{seq}",
                reference="1",
                amount=Decimal("5"),
                currency="NOK",
                paid_on=DAY,
            )

    def statements():
        with CaptureQueriesContext(connection) as opened:
            tickets_refresh()
        with CaptureQueriesContext(connection) as again:
            tickets_refresh()
        return len(opened), len(again)

    add(1)
    few = statements()
    add(20)
    many = statements()
    assert Ticket.objects.filter(kind=K.QUARANTINED).count() == 21
    assert few == many
