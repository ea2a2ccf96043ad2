"""The nightly sync of an Inexchange creditor over real HTTP to the emulator, on the real
database: delivered invoices come in as cases through the bulk import, page by page; a document
that is not well-formed or breaks the UBL 2.1 schema is quarantined with its reason and the rest
goes through."""

import pytest

from cases.models import Case, Debtor, Invoice
from collection.models import QuarantinedRecord, SyncRun
from collection.sync import creditor_sync
from tests.inexchange.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def creditor(make_creditor, connection):
    creditor = make_creditor(
        "Hagström Bygg & Fasad AB", country="SE", erp_connection={**connection, "page_size": 3}
    )
    creditor.erp_kind = "inexchange"
    creditor.save(update_fields=["erp_kind"])
    return creditor


def test_delivered_overdue_invoices_become_cases_through_the_paged_import(creditor, inexchange):
    run = creditor_sync(creditor=creditor, today=TODAY)

    assert run.status == SyncRun.Status.OK, run.error
    assert run.seen == 6  # 8 documents: one pending and one failed delivery are not claims
    lists = inexchange.requests("/documents/outbound/list")
    assert len(lists) == 3  # skip 0, 3, 6 of 8: until totalCount
    invoices = Invoice.objects.filter(creditor=creditor).order_by("number")
    overdue = [i for i in invoices if i.due_date < TODAY]
    assert len(overdue) == 5
    first = invoices.get(number="20260")
    assert first.erp_id == inexchange.seeded["documents"][0]
    assert (first.currency, str(first.original_amount)) == ("SEK", "12850.00")
    assert first.case is not None and first.case.status == Case.Status.OPEN
    anna = first.debtor
    assert (anna.name, anna.kind, anna.email) == (
        "Anna Lindqvist",
        Debtor.Kind.CONSUMER,
        "anna.lindqvist@example.se",
    )
    business = Debtor.objects.get(creditor=creditor, name="Nordkvist Fastigheter AB")
    assert (business.kind, business.identity_number) == (Debtor.Kind.BUSINESS, "5560000043")
    assert not QuarantinedRecord.objects.filter(creditor=creditor).exists()

    again = creditor_sync(creditor=creditor, today=TODAY)  # idempotent
    assert again.status == SyncRun.Status.OK and again.cases_opened == 0
    assert Invoice.objects.filter(creditor=creditor).count() == invoices.count()


def test_a_broken_or_schema_invalid_document_is_quarantined_and_the_rest_goes_through(
    creditor, inexchange
):
    org = inexchange.seeded["company"]["org_number"]
    broken = inexchange.add_raw_document(org, b"<Invoice><cbc:ID>99</cbc:ID>")
    template = (
        inexchange.documents(org)[0]["_content"]
        .decode()
        .replace("<cbc:ID>20260</cbc:ID>", "<cbc:ID>20299</cbc:ID>")
        .replace("<cbc:DueDate>", "<cbc:DueDate>den ")
    )
    invalid = inexchange.add_raw_document(org, template.encode())

    run = creditor_sync(creditor=creditor, today=TODAY)

    assert run.status == SyncRun.Status.OK, run.error
    assert run.quarantined == 2
    rows = {q.erp_id: q for q in QuarantinedRecord.objects.filter(creditor=creditor)}
    assert set(rows) == {broken, invalid}
    assert "not well-formed XML" in rows[broken].reason
    assert "UBL 2.1 schema" in rows[invalid].reason and "DueDate" in rows[invalid].reason
    assert "<cbc:DueDate>den " in rows[invalid].payload
    assert Invoice.objects.filter(creditor=creditor, due_date__lt=TODAY).count() == 5
