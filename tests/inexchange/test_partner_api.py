"""Our partner API as Inexchange calls it: the emulator reports a payment and a credit note on an
invoice in collection and reads the case reference back, over real HTTP to Django's live server;
a partner reaches only the creditors enrolled through it."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import ledger
from cases.models import Case, Invoice, Payment
from collection.inexchange_partners import partner_company_enrol, partner_create
from collection.sync import creditor_sync
from integrations.inexchange.emulator.partner import PartnerApiError
from tests.inexchange.conftest import ERP_ID, TODAY


@pytest.fixture
def enrolled(make_creditor, connection, inexchange, live_server):
    creditor = make_creditor("Hagström Bygg & Fasad AB", country="SE", erp_connection=connection)
    creditor.erp_kind = "inexchange"
    creditor.save(update_fields=["erp_kind"])
    partner, key = partner_create(name="Inexchange", slug="inexchange")
    partner_company_enrol(partner=partner, creditor=creditor, erp_id=ERP_ID)
    creditor_sync(creditor=creditor, today=TODAY)
    api = inexchange.partner_api(f"{live_server.url}/api/partner/v1", key)
    return creditor, api


def invoice_of(inexchange, n=0) -> Invoice:
    return Invoice.objects.select_related("case").get(erp_id=inexchange.seeded["documents"][n])


@pytest.mark.django_db(transaction=True)
def test_a_payment_reported_by_inexchange_is_booked_on_the_case_once(enrolled, inexchange):
    creditor, api = enrolled
    invoice = invoice_of(inexchange)
    before = ledger.outstanding(invoice.case)

    answer = api.report_payment(
        ERP_ID, invoice.erp_id, payment_id="bg-7781", amount="2000.00", currency="SEK",
        paid_on=dt.date(2026, 11, 20),
    )  # fmt: skip

    assert answer["booked"] is True
    payment = Payment.objects.get(case=invoice.case)
    assert (payment.source, payment.amount) == (Payment.Source.DIRECT, Decimal("2000.00"))
    after = ledger.outstanding(invoice.case)  # interest to the day paid is owed as well
    assert before - Decimal("2000.00") <= after < before
    assert Decimal(answer["case"]["outstanding"]) == after
    invoice.case.refresh_from_db()
    assert invoice.case.outstanding == after  # the stored balance moved with the ledger
    assert ledger.outstanding_mismatches(Case.objects.filter(pk=invoice.case_id)) == []

    again = api.report_payment(
        ERP_ID, invoice.erp_id, payment_id="bg-7781", amount="2000.00", currency="SEK",
        paid_on=dt.date(2026, 11, 20),
    )  # fmt: skip
    assert again["booked"] is False
    assert Payment.objects.filter(case=invoice.case).count() == 1

    with pytest.raises(PartnerApiError) as refused:
        api.report_payment(
            ERP_ID, invoice.erp_id, payment_id="eur-1", amount="10.00", currency="EUR",
            paid_on=dt.date(2026, 11, 20),
        )  # fmt: skip
    assert refused.value.status == 400 and "SEK" in str(refused.value.body)


@pytest.mark.django_db(transaction=True)
def test_a_full_credit_note_closes_the_case_and_inexchange_reads_the_reference(
    enrolled, inexchange
):
    creditor, api = enrolled
    invoice = invoice_of(inexchange, 1)

    answer = api.report_credit_note(
        ERP_ID, invoice.erp_id, credit_note_id="cn-1", number="K-90001",
        amount=str(invoice.original_amount), currency="SEK", credited_on=dt.date(2026, 11, 21),
    )  # fmt: skip

    assert answer["booked"] is True
    case = Case.objects.get(pk=invoice.case_id)
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.CREDITED)
    assert case.outstanding == ledger.outstanding(case) == Decimal("0.00")
    assert ledger.outstanding_mismatches(Case.objects.filter(pk=case.pk)) == []

    read = api.read_case(ERP_ID, invoice.erp_id)
    shown = inexchange.case_references[invoice.erp_id]
    assert shown == read
    assert shown["case_reference"] == case.number
    assert (shown["status"], shown["outcome"]) == ("closed", "credited")
    assert shown["invoice_number"] == invoice.number
    assert shown["url"].endswith(f"/c/{creditor.pk}/cases/{case.number}/")


@pytest.mark.django_db(transaction=True)
def test_a_partner_reaches_only_the_creditors_enrolled_through_it(enrolled, inexchange):
    creditor, api = enrolled
    invoice = invoice_of(inexchange)
    other, other_key = partner_create(name="Another operator", slug="other")
    stranger = inexchange.partner_api(api.base_url, other_key)

    with pytest.raises(PartnerApiError) as not_theirs:
        stranger.read_case(ERP_ID, invoice.erp_id)
    assert not_theirs.value.status == 404

    with pytest.raises(PartnerApiError) as unknown:
        inexchange.partner_api(api.base_url, "acp_000000000000_nope").read_case(
            ERP_ID, invoice.erp_id
        )
    assert unknown.value.status == 401

    with pytest.raises(PartnerApiError) as no_such_document:
        api.read_case(ERP_ID, "not-a-document")
    assert no_such_document.value.status == 404
    assert api.read_case(ERP_ID, invoice.erp_id)["case_reference"] == invoice.case.number
