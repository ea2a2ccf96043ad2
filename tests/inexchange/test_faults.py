"""One test per fault the emulator kit injects, on Inexchange over real HTTP: the sync (or the
client, where the fault is about the call itself) either recovers and is complete, or fails
clean with a readable reason and nothing written; nothing is lost or doubled."""

import pytest

from cases.models import Invoice
from collection.models import QuarantinedRecord, SyncRun
from collection.sync import creditor_sync
from integrations.errors import ErpError, ErpMalformedResponse, ErpUnavailable
from integrations.http import RetryPolicy
from integrations.inexchange.client import InexchangeClient, InexchangePartnerClient
from integrations.inexchange.emulator import DEFAULT_PARTNER_KEY
from integrations.inexchange.emulator.seed import demo_document
from tests.inexchange.conftest import ERP_ID, TODAY, enrol

pytestmark = pytest.mark.django_db
ALL = 6  # delivered documents in the demo seed
IMPORTED = 5  # the overdue ones (the import filter leaves the one not yet due)


@pytest.fixture
def creditor(make_creditor, connection):
    creditor = make_creditor(country="SE", erp_connection={**connection, "page_size": 2})
    creditor.erp_kind = "inexchange"
    creditor.save(update_fields=["erp_kind"])
    return creditor


def complete(creditor) -> SyncRun:
    run = creditor_sync(creditor=creditor, today=TODAY)
    assert run.status == SyncRun.Status.OK, run.error
    assert run.seen == ALL and run.quarantined == 0
    numbers = list(Invoice.objects.filter(creditor=creditor).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == IMPORTED
    return run


def fired(inexchange, kind: str) -> int:
    return sum(1 for r in inexchange.log if r.get("fault") == kind)


def test_a_timeout_on_a_page_is_retried(inexchange, connection):
    inexchange.faults.timeout("/documents/outbound/list", seconds=1.5, skip=1)
    partner = InexchangePartnerClient(inexchange.url, DEFAULT_PARTNER_KEY)
    client = InexchangeClient(inexchange.url, partner, ERP_ID, page_size=2, timeout=(2, 0.5))
    client.retry = RetryPolicy(backoff=0.05)
    rows = list(client.outbound_documents())
    assert len({r["id"] for r in rows}) == 8
    assert not inexchange.faults.pending()  # the stalled read was given up and asked again
    assert len(inexchange.requests("/documents/outbound/list")) >= 4


def test_a_dropped_connection_on_a_page_is_retried(creditor, inexchange):
    inexchange.faults.drop("/documents/outbound/list", skip=1)
    complete(creditor)
    assert fired(inexchange, "drop") == 1


def test_a_429_waits_retry_after_and_goes_again(creditor, inexchange):
    inexchange.faults.rate_limited("/documents/", method="GET", retry_after=1)
    complete(creditor)
    limited = [r for r in inexchange.log if r.get("fault") == "rate_limited"]
    assert len(limited) == 1 and limited[0]["status"] == 429


def test_a_server_error_on_a_document_is_retried(creditor, inexchange):
    inexchange.faults.server_error("/documents/", status=503, method="GET", times=2)
    complete(creditor)
    assert fired(inexchange, "server_error") == 2


def test_an_expired_client_token_is_made_anew_with_the_partner_key(creditor, inexchange):
    inexchange.faults.expired_token("/documents/outbound/list", skip=1)
    complete(creditor)
    assert [r["status"] for r in inexchange.requests("/clienttokens/create")][-2:] == [200, 200]
    refused = [r for r in inexchange.requests("/documents/outbound/list") if r["status"] == 401]
    assert len(refused) == 1


def test_a_malformed_list_fails_the_run_clean_and_the_next_completes(creditor, inexchange):
    inexchange.faults.malformed("/documents/outbound/list", skip=1)
    with pytest.raises(ErpMalformedResponse):
        creditor_sync(creditor=creditor, today=TODAY)
    failed = SyncRun.objects.get(creditor=creditor)
    assert failed.status == SyncRun.Status.FAILED and "Inexchange" in failed.error
    assert not Invoice.objects.filter(creditor=creditor).exists()  # nothing half-written
    complete(creditor)


def test_a_malformed_document_is_quarantined_then_released_when_read_fine(creditor, inexchange):
    document = inexchange.seeded["documents"][2]
    inexchange.faults.malformed(f"/documents/{document}", method="GET")
    run = creditor_sync(creditor=creditor, today=TODAY)
    assert run.status == SyncRun.Status.OK and run.quarantined == 1
    row = QuarantinedRecord.objects.get(creditor=creditor)
    assert row.erp_id == document and "not well-formed XML" in row.reason
    assert Invoice.objects.filter(creditor=creditor).count() == IMPORTED - 1

    complete(creditor)
    row.refresh_from_db()
    assert row.resolved_at is not None


def test_a_document_added_between_pages_shifts_none_in_twice(creditor, inexchange):
    org = inexchange.seeded["company"]["org_number"]

    def insert():
        inexchange.add_invoice(org, demo_document(40, TODAY, due_days_ago=50), front=True)

    inexchange.faults.shift_page("/documents/outbound/list", insert, method="POST")
    run = creditor_sync(creditor=creditor, today=TODAY)
    assert run.status == SyncRun.Status.OK, run.error
    numbers = list(Invoice.objects.filter(creditor=creditor).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == IMPORTED  # the pushed-down one read once
    assert fired(inexchange, "shift_page") == 1
    complete_again = creditor_sync(creditor=creditor, today=TODAY)  # the new one next night
    assert complete_again.cases_opened == 1


def test_enrolling_twice_registers_once_even_where_duplicates_are_taken(inexchange):
    inexchange.faults.allow_duplicates("company")
    enrol(inexchange.url)
    enrol(inexchange.url)
    assert inexchange.registrations == 1
    inexchange.faults.allow_duplicates("company", allowed=False)
    partner = InexchangePartnerClient(inexchange.url, DEFAULT_PARTNER_KEY)
    with pytest.raises(Exception, match="409"):
        partner.register_company({"ErpId": ERP_ID, "Name": "X", "OrgNo": "1", "CountryCode": "SE"})


def test_a_registration_whose_answer_is_lost_is_not_registered_twice(inexchange):
    inexchange.faults.drop("/companies/register", method="POST", after=True)
    inexchange.faults.allow_duplicates("company")  # an Inexchange that would take it twice
    with pytest.raises(ErpUnavailable):
        enrol(inexchange.url)  # registered at Inexchange, the answer never came
    assert inexchange.registrations == 1 and fired(inexchange, "drop") == 1

    assert enrol(inexchange.url)["erp_id"] == ERP_ID  # enrolling again: a token can be made
    assert inexchange.registrations == 1


def test_an_unexpected_answer_fails_the_run_clean_with_its_reason(creditor, inexchange):
    page = "<html><body><h1>404 Not Found</h1>nginx</body></html>"
    inexchange.faults.answer("/documents/outbound/list", 404, text=page, skip=1)
    with pytest.raises(ErpError):
        creditor_sync(creditor=creditor, today=TODAY)
    failed = SyncRun.objects.get(creditor=creditor)
    assert failed.status == SyncRun.Status.FAILED and "404" in failed.error, failed.error
    assert not Invoice.objects.filter(creditor=creditor).exists()  # nothing half-written
    assert fired(inexchange, "answer") == 1
    complete(creditor)
