"""The creditor portal in a browser: a creditor admin filters the case list, pauses two cases in
one go (after the confirmation), opens a case, downloads its letter (a PDF), answers the decision
and writes to us. Screenshots of the dashboard, the case list, the case detail and the import
runs go to var/screenshots/."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Case, DecisionRequest, Payment
from collection.advance import case_advance
from collection.models import QuarantinedRecord, SyncRun
from creditors.models import Membership
from letters.models import Letter
from nordic.calendar import local_today
from tests.browser.conftest import PASSWORD, log_in

# serialized_rollback: the rule book (rows from a data migration) survives the flush after the
# test, for the tests that run after it
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DAY = dt.date(2026, 11, 2)


def _to_decision(case):
    day = DAY
    while case.stage != Case.Stage.DECISION:
        assert case_advance(case_id=case.pk, today=day) is not None
        case.refresh_from_db()
        day = case.next_action_on or day
    return case


def test_a_creditor_admin_works_the_case_list(page, screenshot, make_creditor, make_case):
    creditor = make_creditor("Fjordvik Rørlegger AS")
    user = get_user_model().objects.create_user("kari", password=PASSWORD)
    Membership.objects.create(user=user, creditor=creditor, role=Membership.Role.ADMIN)
    cases = [make_case(creditor, amount=Decimal(a)) for a in ("1200.00", "830.50", "15400.00")]
    names = ["Berg Bygg AS", "Berg Maling AS", "Strand Kafé"]
    for case, name in zip(cases, names, strict=True):
        case.debtor.name = name
        case.debtor.save()
    decided = _to_decision(make_case(creditor, amount=Decimal("2750.00")))
    decided.debtor.name = "Nordlys Regnskap"
    decided.debtor.save()
    SyncRun.objects.create(
        creditor=creditor, as_of=DAY, status="ok", seen=12, imported=4, cases_opened=4,
        finished_at=timezone.now(), skipped_by_reason={"excluded_customer": 3, "too_recent": 5},
    )  # fmt: skip
    SyncRun.objects.create(
        creditor=creditor, as_of=DAY, status="failed", finished_at=timezone.now(),
        error="Import from Tripletex failed, nothing was changed: Tripletex did not answer",
    )  # fmt: skip
    QuarantinedRecord.objects.create(
        creditor=creditor, kind="invoice", erp_id="88123", last_seen_at=timezone.now(),
        reason="The invoice has no due date", payload='{"id": 88123, "dueDate": null}',
    )  # fmt: skip

    today = local_today(creditor.time_zone)
    for months_back, amount in [(0, "1250.00"), (1, "3100.00"), (3, "640.00")]:
        Payment.objects.create(
            creditor=creditor, case=cases[2], source="collector", external_id=f"b{months_back}",
            amount=Decimal(amount), currency="NOK", allocation_order="fee,interest,capital",
            paid_on=today.replace(day=1) - dt.timedelta(days=28 * months_back),
        )  # fmt: skip

    log_in(page, "kari")
    page.goto(f"/c/{creditor.pk}/")
    assert page.locator("#open-cases").inner_text() == "4"
    assert page.locator("#collected-chart rect").count() == 12
    assert page.locator("#collected-month").inner_text() == "1,250.00 NOK"
    screenshot("dashboard")

    # filter: the debtor field updates the list in place (htmx), the URL keeps the filter
    page.goto(f"/c/{creditor.pk}/cases/")
    assert page.evaluate("typeof htmx") == "object"  # the vendored htmx is served
    page.fill("input[name=debtor]", "Berg")
    page.wait_for_function("location.search.includes('debtor=Berg')")
    page.wait_for_function("document.querySelectorAll('#cases tbody tr').length === 2")
    rows = page.locator("#cases tbody tr")
    assert rows.count() == 2
    assert {rows.nth(i).get_attribute("data-case") for i in range(2)} == {
        cases[0].number,
        cases[1].number,
    }
    page.select_option("select[name=sort]", "-outstanding")
    page.wait_for_function("location.search.includes('sort=-outstanding')")
    page.wait_for_load_state("networkidle")
    assert page.locator("#cases tbody tr").first.get_attribute("data-case") == cases[0].number
    screenshot("case-list")

    # bulk pause of the two, after the confirmation
    for case in cases[:2]:
        page.check(f"input[name=case][value='{case.number}']")
    page.click("button[name=verb][value=pause]")
    assert "Pause these cases?" in page.locator("#confirm h1").inner_text()
    page.select_option("select[name=reason]", "disputed")
    page.click("#confirm-button")
    page.wait_for_selector("#results")
    results = page.locator("#results").inner_text()
    for case in cases[:2]:
        assert f"{case.number}: Case paused." in results
        case.refresh_from_db()
        assert case.status == Case.Status.PAUSED and case.pause_reason == "disputed"
    assert "debtor=Berg" in page.url  # back on the list as it was filtered
    cases[2].refresh_from_db()
    assert cases[2].status == Case.Status.OPEN

    # open the case awaiting a decision, from the list filtered on it
    page.goto(f"/c/{creditor.pk}/cases/?decision=yes")
    page.click(f"a:text-is('{decided.number}')")
    page.wait_for_selector("#decision")
    screenshot("case-detail")
    with page.expect_download() as download:
        page.locator("#letters a", has_text="Download PDF").first.click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert Letter.objects.filter(case=decided, status="sent").count() >= 1

    page.click("#decision button[value=surveillance]")
    page.wait_for_selector("text=Decision recorded.")
    decision = DecisionRequest.objects.get(case=decided)
    assert decision.answer == "surveillance" and decision.answered_by == user
    decided.refresh_from_db()
    assert decided.stage == Case.Stage.SURVEILLANCE

    page.fill("#message-body", "Skyldneren ringte og lovet å betale fredag.")
    page.click("#thread button")
    page.wait_for_selector("text=Your message was sent.")
    assert "lovet å betale fredag" in page.locator("#thread").inner_text()
    assert decided.messages.get().author == user

    page.goto(f"/c/{creditor.pk}/cases/{cases[2].number}/")
    steps = page.locator("#steps-ahead tbody tr")
    assert [steps.nth(i).get_attribute("data-stage") for i in range(steps.count())] == [
        "reminder", "notice", "demand", "decision",
    ]  # fmt: skip
    screenshot("case-detail-steps")

    page.goto(f"/c/{creditor.pk}/imports/")
    text = page.locator("main").inner_text()
    assert "Tripletex did not answer" in text and "88123" in text
    assert "The invoice has no due date" in text
    screenshot("import-runs")
