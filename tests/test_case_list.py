"""The portal's case list: each filter and sort of the one selector (cases.selectors.case_list),
the list pages' query count for 10 and for 10 000 cases (portal and API), bulk actions with
their confirmation and per-case results, and the pages around it (dashboard, import runs)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, DecisionRequest, LedgerEntry
from cases.seeding import due_cases_in_bulk
from cases.selectors import CaseFilter, case_list
from cases.services import case_pause
from collection.models import QuarantinedRecord, SyncRun

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)


def numbers(qs):
    return [c.number for c in qs]


@pytest.fixture
def three(make_creditor, make_case):
    """Three cases of one creditor that differ in every filtered column, and one of another."""
    creditor = make_creditor()
    a = make_case(creditor, amount=Decimal("100.00"), today=DAY - dt.timedelta(days=20))
    b = make_case(creditor, amount=Decimal("5000.00"), today=DAY - dt.timedelta(days=10))
    c = make_case(creditor, amount=Decimal("900.00"), today=DAY)
    # an open decision, written as cases.engine.write writes one (the request and its deadline
    # on the case)
    Case.objects.filter(pk=b.pk).update(
        stage=Case.Stage.DECISION, decision_deadline=DAY + dt.timedelta(14)
    )
    DecisionRequest.objects.create(
        creditor=creditor, case=b, requested_on=DAY, deadline=DAY + dt.timedelta(14),
        options=["enforcement", "surveillance", "close"], default_option="close",
    )  # fmt: skip
    case_pause(case=c, reason="disputed")
    a.debtor.name, b.debtor.name, c.debtor.name = "Aasen Bygg AS", "Berg og Sønn", "Fjellstua"
    for case in (a, b, c):
        case.debtor.save()
    make_case(make_creditor())  # another tenant's case never shows
    return creditor, a, b, c


def test_no_filter_lists_the_creditors_cases_newest_first(three):
    creditor, a, b, c = three
    assert numbers(case_list(creditor=creditor)) == [c.number, b.number, a.number]


@pytest.mark.parametrize(
    "filters, expected",
    [
        (CaseFilter(status="paused"), "c"),
        (CaseFilter(stage="decision"), "b"),
        (CaseFilter(debtor="berg"), "b"),
        (CaseFilter(query="aasen"), "a"),
        (CaseFilter(opened_from=DAY - dt.timedelta(days=15)), "bc"),
        (CaseFilter(opened_to=DAY - dt.timedelta(days=15)), "a"),
        (CaseFilter(amount_min=Decimal("900")), "bc"),
        (CaseFilter(amount_max=Decimal("900")), "ac"),
        (CaseFilter(pending_decision=True), "b"),
        (CaseFilter(pending_decision=False), "ac"),
        (CaseFilter(status="open", amount_max=Decimal("1000")), "a"),
    ],
    ids=lambda x: str(x) if isinstance(x, str) else None,
)
def test_each_filter(three, filters, expected):
    creditor, *cases = three
    by_letter = dict(zip("abc", cases, strict=True))
    got = set(numbers(case_list(creditor=creditor, filters=filters)))
    assert got == {by_letter[x].number for x in expected}


def test_search_finds_the_invoice_number_and_the_payment_reference(three):
    creditor, a, b, c = three
    invoice = b.invoices.get()
    assert numbers(case_list(creditor=creditor, filters=CaseFilter(query=invoice.number))) == [
        b.number
    ]
    ref = CaseFilter(query=c.payment_reference)
    assert numbers(case_list(creditor=creditor, filters=ref)) == [c.number]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("opened", "abc"),
        ("-opened", "cba"),
        ("number", "abc"),
        ("-number", "cba"),
        ("debtor", "abc"),
        ("-debtor", "cba"),
        ("outstanding", "acb"),
        ("-outstanding", "bca"),
        ("stage", "bac"),  # decision < new
        ("status", "abc"),  # open < paused, then the key
        ("-status", "cba"),
        ("nonsense", "cba"),  # unknown: the default, newest first
    ],
)
def test_each_sort(three, sort, expected):
    creditor, *cases = three
    by_letter = dict(zip("abc", cases, strict=True))
    got = numbers(case_list(creditor=creditor, filters=CaseFilter(sort=sort)))
    assert got == [by_letter[x].number for x in expected]


def test_next_action_sort_puts_cases_without_one_last(three):
    creditor, a, b, c = three
    Case.objects.filter(pk=a.pk).update(next_action_on=None)
    Case.objects.filter(pk=b.pk).update(next_action_on=DAY + dt.timedelta(3))
    Case.objects.filter(pk=c.pk).update(next_action_on=DAY + dt.timedelta(1))
    for sort in ("next_action", "-next_action"):
        got = numbers(case_list(creditor=creditor, filters=CaseFilter(sort=sort)))
        assert got[-1] == a.number
    assert numbers(case_list(creditor=creditor, filters=CaseFilter(sort="next_action")))[:2] == [
        c.number,
        b.number,
    ]


def test_the_portal_form_filters_and_sorts(client, three, make_user):
    creditor, a, b, c = three
    client.force_login(make_user(creditor))
    url = f"/c/{creditor.pk}/cases/"
    body = client.get(url, {"decision": "yes"}).content.decode()
    assert b.number in body and a.number not in body and c.number not in body
    body = client.get(url, {"amount_min": "900", "sort": "outstanding"}).content.decode()
    assert a.number not in body and body.index(c.number) < body.index(b.number)
    # a value that does not parse is shown as an error, the rest still filters
    response = client.get(url, {"amount_min": "lots", "status": "paused"})
    body = response.content.decode()
    assert response.status_code == 200 and c.number in body and a.number not in body
    assert 'class="error"' in body


# --- the same number of queries for 10 and for 10 000 cases -------------------------------


def _seed(creditor, start, n):
    cases = due_cases_in_bulk(
        creditors=[creditor], seqs=range(start, start + n), due=DAY - dt.timedelta(30),
        opened_on=DAY,
    )  # fmt: skip
    # some in other stages, paused, with fees and a decision, so that every column has values
    Case.objects.filter(pk__in=[c.pk for c in cases[::3]]).update(stage=Case.Stage.REMINDER)
    Case.objects.filter(pk__in=[c.pk for c in cases[1::7]]).update(status=Case.Status.PAUSED)
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            creditor=creditor, case=c, kind="charge", component="fee", amount=Decimal("35.00"),
            booked_on=DAY, key="fee:reminder",
        )
        for c in cases[::3]
    )  # fmt: skip
    Case.objects.filter(pk=cases[2].pk).update(stage=Case.Stage.DECISION)
    DecisionRequest.objects.create(
        creditor=creditor, case=cases[2], requested_on=DAY, deadline=DAY + dt.timedelta(14),
        options=["enforcement", "close"], default_option="close",
    )  # fmt: skip


LISTS = {
    "portal": ("/c/{pk}/cases/", {}),
    "portal filtered": (
        "/c/{pk}/cases/",
        {"status": "open", "amount_min": "500", "sort": "-outstanding", "q": "700"},
    ),
    "portal decisions": ("/c/{pk}/cases/", {"decision": "yes", "sort": "debtor"}),
    "api": ("/api/creditors/{pk}/cases/", {}),
    "api filtered": ("/api/creditors/{pk}/cases/", {"status": "open", "limit": "5"}),
}


def test_the_portal_counts_a_long_list_up_to_a_cap_and_still_pages_on(
    client, make_creditor, make_user, monkeypatch
):
    from collection import portal_views

    creditor = make_creditor()
    client.force_login(make_user(creditor))
    _seed(creditor, 7_100_000, 12)
    monkeypatch.setattr(portal_views, "PAGE_SIZE", 2)
    url = f"/c/{creditor.pk}/cases/"

    monkeypatch.setattr(portal_views, "COUNT_UP_TO", 100)  # under the cap: the exact count
    body = client.get(url).content.decode()
    assert "12 cases" in body and "Page 1 of 6" in body

    monkeypatch.setattr(portal_views, "COUNT_UP_TO", 5)  # over it: a lower bound, Next works
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert "More than 5 cases" in body and "Page 1" in body and "of 6" not in body
    assert "page=2" in body
    (count,) = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "cases_case" in q["sql"]]
    assert "LIMIT 6" in count and "ORDER BY" not in count
    # the page after the cap is reached by Next, and its own count looks one page further
    body = client.get(url, {"page": "4"}).content.decode()
    assert "Page 4" in body and "page=5" in body
    body = client.get(url, {"page": "6"}).content.decode()
    assert "12 cases" in body and "Page 6 of 6" in body and "page=7" not in body


def test_case_lists_run_the_same_queries_for_10_and_10000_cases(client, make_creditor, make_user):
    creditor = make_creditor()
    client.force_login(make_user(creditor))

    def count_all():
        counts = {}
        for name, (url, params) in LISTS.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url.format(pk=creditor.pk), params)
            assert response.status_code == 200, (name, response.content[:300])
            counts[name] = len(queries)
        return counts

    _seed(creditor, 7_000_000, 10)
    assert Case.objects.filter(creditor=creditor).count() == 10
    few = count_all()
    _seed(creditor, 7_000_010, 9_990)
    assert Case.objects.filter(creditor=creditor).count() == 10_000
    many = count_all()
    assert many == few
    for name, (url, params) in LISTS.items():  # and the page itself is one query
        with CaptureQueriesContext(connection) as queries:
            client.get(url.format(pk=creditor.pk), params)
        assert sum('FROM "cases_case"' in q["sql"] for q in queries) <= 3, name


# --- bulk actions ----------------------------------------------------------------------------


def test_bulk_pause_asks_first_then_reports_each_case(client, make_creditor, make_case, make_user):
    creditor = make_creditor()
    client.force_login(make_user(creditor))  # a creditor user may pause
    one, two, closed = make_case(creditor), make_case(creditor), make_case(creditor)
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED, outcome="paid")
    url = f"/c/{creditor.pk}/cases/bulk/"
    picked = [one.number, two.number, closed.number]
    page = client.post(url, {"verb": "pause", "case": picked, "back": "status=open"})
    assert page.status_code == 200 and "Pause these cases?" in page.content.decode()
    assert not Case.objects.filter(status=Case.Status.PAUSED).exists()  # nothing yet

    done = client.post(
        url, {"verb": "pause", "case": picked, "confirm": "1", "reason": "disputed",
              "back": "status=open"},
    )  # fmt: skip
    assert done.status_code == 302 and done["Location"].endswith("/cases/?status=open")
    one.refresh_from_db(), two.refresh_from_db()
    assert one.status == two.status == Case.Status.PAUSED and one.pause_reason == "disputed"
    body = client.get(done["Location"]).content.decode()
    assert f"{one.number}: Case paused." in body and f"{two.number}: Case paused." in body
    assert f"{closed.number}: case {closed.number} is closed, it cannot be paused" in body


def test_bulk_withdraw_is_refused_to_a_creditor_user(client, make_creditor, make_case, make_user):
    creditor = make_creditor()
    client.force_login(make_user(creditor, role="user"))
    case = make_case(creditor)
    data = {"verb": "withdraw", "case": [case.number], "confirm": "1"}
    assert client.post(f"/c/{creditor.pk}/cases/bulk/", data).status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    body = client.get(f"/c/{creditor.pk}/cases/").content.decode()
    assert 'value="withdraw"' not in body and 'value="pause"' in body


def test_bulk_skips_another_creditors_case(client, make_creditor, make_case, make_user):
    creditor, other = make_creditor(), make_creditor()
    client.force_login(make_user(creditor, role="admin"))
    mine, theirs = make_case(creditor), make_case(other)
    data = {"verb": "withdraw", "case": [mine.number, theirs.number], "confirm": "1"}
    response = client.post(f"/c/{creditor.pk}/cases/bulk/", data, follow=True)
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.outcome == "withdrawn" and theirs.status == Case.Status.OPEN
    assert f"{theirs.number}: no such case" in response.content.decode()


# --- dashboard and import runs -------------------------------------------------------------


def test_dashboard_figures(client, make_creditor, make_case, make_user):
    from cases.models import Payment
    from nordic.calendar import local_today

    creditor = make_creditor()
    client.force_login(make_user(creditor))
    a, b = make_case(creditor), make_case(creditor, amount=Decimal("250.00"))
    Case.objects.filter(pk=b.pk).update(stage=Case.Stage.REMINDER)
    today = local_today(creditor.time_zone)
    for amount, paid_on, source in [
        ("300.00", today, "collector"),
        ("200.00", today, "direct"),
        ("999.00", today, "credit_note"),  # not money collected
        ("50.00", today.replace(day=1) - dt.timedelta(days=1), "collector"),  # last month
    ]:
        Payment.objects.create(
            creditor=creditor, case=a, source=source, external_id=f"x{amount}",
            amount=Decimal(amount), currency="NOK", paid_on=paid_on, allocation_order="fee",
        )  # fmt: skip
    from cases import reports

    figures = reports.dashboard(creditor=creditor, today=today)
    assert figures.open_cases == 2 and figures.outstanding == Decimal("1250.00")
    assert figures.collected_this_month == Decimal("500.00")
    assert figures.collected_by_month[-2][1] == Decimal("50.00")
    assert len(figures.collected_by_month) == 12
    assert [(s, n) for s, _, n in figures.open_by_stage] == [("new", 1), ("reminder", 1)]
    body = client.get(f"/c/{creditor.pk}/").content.decode()
    assert 'id="collected-chart"' in body and body.count("<rect") == 12
    assert "1,250.00 NOK" in body and "500.00 NOK" in body


def test_import_runs_page_shows_counts_by_reason_errors_and_quarantine(
    client, make_creditor, make_user
):
    from django.utils import timezone

    creditor = make_creditor()
    client.force_login(make_user(creditor))
    SyncRun.objects.create(
        creditor=creditor, as_of=DAY, status="ok", seen=10, imported=7, cases_opened=7,
        skipped_by_reason={"excluded_customer": 2, "below_minimum": 1},
    )  # fmt: skip
    SyncRun.objects.create(
        creditor=creditor, as_of=DAY, status="failed",
        error="Import from Tripletex failed, nothing was changed: the API key was refused",
    )  # fmt: skip
    QuarantinedRecord.objects.create(
        creditor=creditor, kind="invoice", erp_id="inv-77", reason="the amount is not a number",
        last_seen_at=timezone.now(),
    )  # fmt: skip
    body = client.get(f"/c/{creditor.pk}/imports/").content.decode()
    assert "the API key was refused" in body and "inv-77" in body
    assert "the amount is not a number" in body
    assert "excluded customer" in body.lower() or "excluded" in body.lower()
    other = make_creditor()
    assert client.get(f"/c/{other.pk}/imports/").status_code == 404


# --- case detail: the steps ahead, as the engine then takes them; the thread -------------------


@pytest.mark.parametrize("country", ["NO", "SE", "FI"])
def test_steps_ahead_are_what_the_engine_then_does(make_creditor, make_case, country):
    """The dates and fees shown come from the country rules: advancing the case day by day
    through the engine takes each step on the day shown, with the fee shown."""
    from cases.outlook import steps_ahead
    from collection.advance import case_advance

    creditor = make_creditor(country=country)
    case = make_case(creditor, kind="consumer")
    steps = steps_ahead(case=case, today=DAY)
    from cases.lifecycle import STAGE_PLAN

    assert [s.stage for s in steps] == list(STAGE_PLAN[country])
    assert steps[-1].options and steps[-1].fees == ()
    assert any(s.fees for s in steps)  # every country charges for some letter
    day = DAY
    for step in steps:
        while True:
            case_advance(case_id=case.pk, today=day)
            case.refresh_from_db()
            if case.stage == step.stage:
                break
            assert day < step.earliest, f"{step.stage} not taken on {step.earliest}"
            day += dt.timedelta(days=1)
        assert day == step.earliest, step.stage
        fees = LedgerEntry.objects.filter(case=case, component="fee", key=f"fee:{step.stage}")
        assert sum(e.amount for e in fees) == step.fee_total, step.stage


def test_steps_ahead_of_a_paused_or_closed_case_are_none(make_creditor, make_case):
    from cases.outlook import steps_ahead

    creditor = make_creditor()
    case = case_pause(case=make_case(creditor), reason="disputed")
    assert steps_ahead(case=case, today=DAY) == []


def test_case_detail_shows_steps_payments_and_the_thread(
    client, make_creditor, make_case, make_user
):
    from cases.messages import message_post

    creditor = make_creditor()
    user = make_user(creditor)
    client.force_login(user)
    case = make_case(creditor)
    url = f"/c/{creditor.pk}/cases/{case.number}/"
    response = client.post(url + "messages/", {"body": "Kunden sier de har betalt."})
    assert response.status_code == 302 and response["Location"].endswith("#thread")
    message_post(creditor=creditor, case=case, author=None, body="Vi sjekker.", from_support=True)
    body = client.get(url).content.decode()
    assert 'id="steps-ahead"' in body and 'data-stage="reminder"' in body
    assert 'data-stage="decision"' in body
    assert "Kunden sier de har betalt." in body and "Vi sjekker." in body
    assert client.post(url + "messages/", {"body": "  "}).status_code == 302
    assert case.messages.count() == 2  # an empty message is refused
    other = make_creditor()
    outsider = make_user(other)
    client.force_login(outsider)
    assert client.post(url + "messages/", {"body": "hei"}).status_code == 404
