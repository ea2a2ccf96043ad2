"""The import filter in the nightly sync, over real HTTP to the Tripletex emulator: the run counts
every skipped invoice by reason (and the creditor reads the counts in the portal and the API),
and the backlog (overdue at activation) is imported at once with a fee-free reminder."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import ledger
from cases.models import Case, Invoice, LedgerEntry
from collection.advance import case_advance
from collection.models import SyncRun
from collection.sync import creditor_sync
from creditors.import_settings import import_override_set
from creditors.models import Membership
from creditors.services import creditor_settings_update
from tests.conftest import TT_TODAY
from tests.onboarding import active_creditor

pytestmark = pytest.mark.django_db
D = Decimal
# Fjordvik's open invoices in the emulator's demo (integrations/tripletex/emulator/seed.py):
# row index -> customer index, days from TT_TODAY to due, amount. Customers: 0 Bryggen Eiendom
# (Storkunde), 1 Sandviken Bakeri, 2 Kari Nordmann (Privat), 3 Ola Hansen (Privat), 4 Hordaland
# Byggservice, 5 Fana Tannlegesenter, 6 Ingrid Berg (Privat), 7 Åsane Frisør.
#   0: (0, -90, 18750)  1: (1, -62, 4375.50)  2: (4, -45, 12500)  3: (2, -31, 2890)
#   4: (5, -21, 7640.25)  5: (3, -16, 1250)  6: (6, -10, 3420)  7: (7, -5, 980)
#   8: (0, -1, 15600)  9: (1, +7, 5200)  10: (5, +20, 2450)  11: partly paid (4, -35, 5800 left)


def imported_rows(company, creditor) -> set[int]:
    erp_ids = set(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    return {i for i, erp_id in enumerate(company["open_invoice_ids"]) if str(erp_id) in erp_ids}


def test_the_run_counts_skipped_invoices_by_reason(
    tripletex, tripletex_connection, client, make_user
):
    company = tripletex.seeded["companies"][0]
    customers = company["customer_ids"]
    creditor = active_creditor(tripletex_connection(0))
    admin = make_user(creditor, role=Membership.Role.ADMIN)
    # An invoice in euros: Norwegian letters and KID payments are in kroner.
    tripletex.add_invoice(
        company["id"], customers[1], TT_TODAY - dt.timedelta(60), TT_TODAY - dt.timedelta(30),
        D("700.00"), "EUR", "", "Leveranse til Sverige",
    )  # fmt: skip
    creditor_settings_update(creditor=creditor, actor=admin, max_amount=D("10000"))
    override = {"creditor": creditor, "actor": admin}
    import_override_set(**override, customer_erp_id=str(customers[0]), excluded=True)
    import_override_set(**override, customer_class="Privat", min_amount=D("2000"))
    import_override_set(**override, customer_erp_id=str(customers[7]), days_after_due=3)

    run = creditor_sync(creditor=creditor, today=TT_TODAY)

    assert run.status == SyncRun.Status.OK
    assert imported_rows(company, creditor) == {1, 3, 4, 7, 11}
    assert run.imported == 5
    expected = {
        "above_max_amount": 1,  # row 2: 12 500 over the creditor's 10 000
        "below_min_amount": 1,  # row 5: 1 250 under class Privat's 2 000
        "currency_not_accepted": 1,  # the EUR invoice
        "excluded_customer": 2,  # rows 0 and 8: Bryggen Eiendom, however overdue
        "not_overdue_long_enough": 3,  # rows 6 (Privat, 10 days), 9 and 10 (not due)
    }
    assert run.skipped_by_reason == expected
    run.refresh_from_db()
    assert run.skipped_by_reason == expected
    assert run.seen == run.imported + sum(expected.values())

    # The creditor reads them: the API's import runs, and the case list.
    client.force_login(make_user(creditor))  # a creditor user: viewing is enough
    api = client.get(reverse("api-sync-runs", args=[creditor.pk])).json()
    assert api["results"][0]["skipped_by_reason"] == expected
    assert api["results"][0]["imported"] == 5
    page = client.get(reverse("case-list", args=[creditor.pk])).content.decode()
    assert "Not imported in the last run: 3 not overdue long enough yet · 2 excluded customer" in (
        page
    )
    assert "1 currency not accepted" in page


def test_backlog_gets_its_reminder_at_once_and_never_a_reminder_fee(
    tripletex, tripletex_connection, make_user
):
    """Invoices overdue at activation, reached back for with the earliest due date: imported at
    once whatever the days setting, the reminder goes out on the first advance, and it carries no
    fee (the creditor may have sent its own fee-bearing reminder: one per invoice at most). An
    invoice falling due after activation is collected as usual, reminder fee included."""
    company = tripletex.seeded["companies"][0]
    creditor = active_creditor(tripletex_connection(0))
    noon = dt.datetime.combine(TT_TODAY, dt.time(12), ZoneInfo(creditor.time_zone))
    creditor.activated_at = noon
    creditor.save(update_fields=["activated_at"])
    admin = make_user(creditor, role=Membership.Role.ADMIN)
    creditor_settings_update(
        creditor=creditor, actor=admin, earliest_due_date=TT_TODAY - dt.timedelta(60)
    )

    run = creditor_sync(creditor=creditor, today=TT_TODAY)

    # Rows 6, 7 and 8 are 10, 5 and 1 day(s) overdue: in at once despite the 14 days.
    assert imported_rows(company, creditor) == {2, 3, 4, 5, 6, 7, 8, 11}
    assert run.skipped_by_reason == {"due_before_earliest": 2, "not_overdue_long_enough": 2}
    backlog = list(Case.objects.filter(creditor=creditor))
    assert len(backlog) == 8 and all(c.backlog for c in backlog)
    for case in backlog:
        assert case_advance(case_id=case.pk, today=TT_TODAY) == Case.Stage.REMINDER
        assert ledger.balances(case)["fee"] == D("0.00")  # row 3, 31 days overdue, too

    # Row 9 falls due after activation: 14 days after due it comes in as an ordinary case.
    later = TT_TODAY + dt.timedelta(21)
    creditor_sync(creditor=creditor, today=later)
    assert imported_rows(company, creditor) == {2, 3, 4, 5, 6, 7, 8, 9, 11}
    fresh = Case.objects.get(creditor=creditor, backlog=False)
    assert case_advance(case_id=fresh.pk, today=later) == Case.Stage.REMINDER
    assert ledger.balances(fresh)["fee"] == D("38.00")  # INKF § 1-2 purregebyr (2026)

    # The backlog cases walk on: the inkassovarsel carries its own fee, a reminder fee never.
    for case in backlog:
        case.refresh_from_db()
        assert case_advance(case_id=case.pk, today=case.next_action_on) == Case.Stage.NOTICE
    fees = LedgerEntry.objects.filter(case__in=backlog, component=LedgerEntry.Component.FEE)
    assert set(fees.values_list("key", flat=True)) == {"fee:notice"}
    assert fees.count() == len(backlog)
