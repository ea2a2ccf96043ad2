"""The case page's forms for an Inexchange creditor whose operator does not call our partner API:
a direct payment and a credit note reported in the portal are booked on the case once (the form
sent twice books once), by the roles that may (permission REPORT), never on another tenant."""

from decimal import Decimal

import pytest

from cases import ledger
from cases.models import Case, Invoice, Payment
from collection.inexchange_partners import partner_company_enrol, partner_create
from collection.sync import creditor_sync
from tests.inexchange.conftest import ERP_ID, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def creditor(make_creditor, connection):
    creditor = make_creditor("Hagström Bygg & Fasad AB", country="SE", erp_connection=connection)
    creditor.erp_kind = "inexchange"
    creditor.save(update_fields=["erp_kind"])
    creditor_sync(creditor=creditor, today=TODAY)
    return creditor


def invoice_of(inexchange, n=0) -> Invoice:
    return Invoice.objects.select_related("case").get(erp_id=inexchange.seeded["documents"][n])


def case_url(invoice, tail=""):
    return f"/c/{invoice.creditor_id}/cases/{invoice.case.number}/{tail}"


def form_report_id(page: str, prefix: str) -> str:
    marker = f'name="{prefix}-report_id" value="'
    return page.split(marker, 1)[1].split('"', 1)[0]


def test_a_direct_payment_reported_on_the_case_page_is_booked_once(
    client, creditor, make_user, inexchange
):
    client.force_login(make_user(creditor, role="admin"))
    invoice = invoice_of(inexchange)
    before = ledger.outstanding(invoice.case)
    page = client.get(case_url(invoice)).content.decode()
    assert 'id="report-payment"' in page and 'id="report-credit-note"' in page
    post = {
        "payment-report_id": form_report_id(page, "payment"),
        "payment-invoice": str(invoice.pk),
        "payment-amount": "1500.00",
        "payment-on": "2026-11-20",
    }

    answer = client.post(case_url(invoice, "report-payment/"), post, follow=True)
    assert "The direct payment is booked on the case." in answer.content.decode()
    again = client.post(case_url(invoice, "report-payment/"), post, follow=True)
    assert "This report was booked already." in again.content.decode()

    payment = Payment.objects.get(case=invoice.case)
    assert (payment.source, payment.amount) == (Payment.Source.DIRECT, Decimal("1500.00"))
    assert before - Decimal("1500.00") <= ledger.outstanding(invoice.case) < before
    invoice.case.refresh_from_db()  # the stored balance moved with the ledger
    assert invoice.case.outstanding == ledger.outstanding(invoice.case)
    assert ledger.outstanding_mismatches(Case.objects.filter(pk=invoice.case_id)) == []
    # a new form is a new report
    fresh = form_report_id(client.get(case_url(invoice)).content.decode(), "payment")
    assert fresh != post["payment-report_id"]


def test_a_credit_note_for_the_whole_invoice_closes_the_case_as_credited(
    client, creditor, make_user, inexchange
):
    client.force_login(make_user(creditor, role="admin"))
    invoice = invoice_of(inexchange, 1)
    page = client.get(case_url(invoice)).content.decode()
    post = {
        "credit-report_id": form_report_id(page, "credit"),
        "credit-invoice": str(invoice.pk),
        "credit-number": "K-90001",
        "credit-amount": str(invoice.original_amount),
        "credit-on": "2026-11-21",
    }
    answer = client.post(case_url(invoice, "report-credit-note/"), post, follow=True)
    assert "The credit note is booked on the case." in answer.content.decode()
    case = Case.objects.get(pk=invoice.case_id)
    assert case.status == Case.Status.CLOSED and case.outcome == "credited"
    again = client.post(case_url(invoice, "report-credit-note/"), post, follow=True)
    assert "This report was booked already." in again.content.decode()
    assert 'id="report-credit-note"' not in again.content.decode()  # closed: no forms


def test_a_bad_report_is_refused_with_its_reason(client, creditor, make_user, inexchange):
    client.force_login(make_user(creditor, role="admin"))
    invoice = invoice_of(inexchange)
    post = {
        "payment-report_id": "3f1c2a4e-0000-4000-8000-000000000001",
        "payment-invoice": str(invoice.pk),
        "payment-amount": "-5",
        "payment-on": "2099-01-01",
    }
    answer = client.post(case_url(invoice, "report-payment/"), post, follow=True)
    text = answer.content.decode()
    assert "Amount:" in text and "The date is in the future." in text
    assert not Payment.objects.filter(case=invoice.case).exists()


def test_only_the_roles_that_dispose_of_the_claim_report(client, creditor, make_user, inexchange):
    invoice = invoice_of(inexchange)
    post = {
        "payment-report_id": "3f1c2a4e-0000-4000-8000-000000000002",
        "payment-invoice": str(invoice.pk),
        "payment-amount": "100.00",
        "payment-on": "2026-11-20",
    }
    client.force_login(make_user(creditor, role="user"))
    assert 'id="report-payment"' not in client.get(case_url(invoice)).content.decode()
    assert client.post(case_url(invoice, "report-payment/"), post).status_code == 403
    assert not Payment.objects.filter(case=invoice.case).exists()


def test_another_tenant_cannot_report_on_the_case(
    client, creditor, make_creditor, make_user, inexchange
):
    other = make_creditor("Fjordvik AS")
    client.force_login(make_user(other, role="admin"))
    invoice = invoice_of(inexchange)
    post = {
        "payment-report_id": "3f1c2a4e-0000-4000-8000-000000000003",
        "payment-invoice": str(invoice.pk),
        "payment-amount": "100.00",
        "payment-on": "2026-11-20",
    }
    assert client.post(case_url(invoice, "report-payment/"), post).status_code == 404
    assert not Payment.objects.filter(case=invoice.case).exists()


def test_no_forms_when_the_operator_reports_through_our_partner_api(
    client, creditor, make_user, inexchange
):
    partner, _ = partner_create(name="Inexchange", slug="inexchange")
    partner_company_enrol(partner=partner, creditor=creditor, erp_id=ERP_ID)
    client.force_login(make_user(creditor, role="admin"))
    page = client.get(case_url(invoice_of(inexchange))).content.decode()
    assert 'id="report-payment"' not in page
