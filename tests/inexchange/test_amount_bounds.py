"""Issue 7 item 6 at the Inexchange entry points: an amount beyond the bound (nordic.money) is
refused as input, in the partner API's error format and as a form error on the case page, not a
server error when it is saved, and nothing is booked."""

import pytest

from cases.models import Invoice, LedgerEntry, Payment
from collection.inexchange_partners import KEYWORD, partner_company_enrol, partner_create
from collection.sync import creditor_sync
from tests.inexchange.conftest import ERP_ID, TODAY

pytestmark = pytest.mark.django_db
BEYOND = ["1000000000.00", "999999999999.99"]


@pytest.fixture
def invoice(make_creditor, connection, inexchange):
    creditor = make_creditor("Hagström Bygg & Fasad AB", country="SE", erp_connection=connection)
    creditor.erp_kind = "inexchange"
    creditor.save(update_fields=["erp_kind"])
    creditor_sync(creditor=creditor, today=TODAY)
    return Invoice.objects.select_related("case").get(erp_id=inexchange.seeded["documents"][0])


def nothing_booked(invoice) -> bool:
    case = invoice.case
    return (
        not Payment.objects.filter(case=case).exists()
        and not LedgerEntry.objects.filter(case=case, key__startswith="credit:").exists()
    )


@pytest.mark.parametrize("amount", BEYOND)
@pytest.mark.parametrize(
    "kind, body",
    [
        ("payments", {"id": "p-1", "currency": "SEK", "paid_on": "2026-11-20"}),
        ("credit-notes", {"id": "c-1", "number": "K-1", "currency": "SEK",
                          "credited_on": "2026-11-20"}),
    ],
)  # fmt: skip
def test_the_partner_api_refuses_an_amount_beyond_the_bound(client, invoice, kind, body, amount):
    partner, key = partner_create(name="Inexchange", slug="inexchange")
    partner_company_enrol(partner=partner, creditor=invoice.creditor, erp_id=ERP_ID)
    response = client.post(
        f"/api/partner/v1/companies/{ERP_ID}/documents/{invoice.erp_id}/{kind}/",
        {**body, "amount": amount},
        content_type="application/json",
        headers={"Authorization": f"{KEYWORD} {key}"},
    )
    assert response.status_code == 400, response.content[:200]
    assert "amount" in response.json()["error"]["fields"]
    assert nothing_booked(invoice)


@pytest.mark.parametrize("amount", BEYOND)
@pytest.mark.parametrize("form, extra", [("payment", {}), ("credit", {"credit-number": "K-1"})])
def test_the_case_page_refuses_an_amount_beyond_the_bound(
    client, make_user, invoice, form, extra, amount
):
    client.force_login(make_user(invoice.creditor, role="admin"))
    url = f"/c/{invoice.creditor_id}/cases/{invoice.case.number}/"
    tail = "report-payment/" if form == "payment" else "report-credit-note/"
    post = {
        f"{form}-report_id": "3f1c2a4e-0000-4000-8000-000000000001",
        f"{form}-invoice": str(invoice.pk),
        f"{form}-amount": amount,
        f"{form}-on": "2026-11-20",
        **extra,
    }
    answer = client.post(url + tail, post, follow=True)
    assert answer.status_code == 200
    assert "Amount:" in answer.content.decode()
    assert nothing_booked(invoice)
