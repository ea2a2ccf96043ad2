"""A payout's outcome is visible to the creditor: the portal's payouts page and the API show the
amount, the remittance (downloadable as sent) and the voucher's status with the ERP's reason
when it failed; what waits for the next payout is shown too."""

import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import Payment
from collection.payments import payment_register
from collection.payouts import payouts_run
from settlements.models import Payout
from tests.settlements.conftest import LETTER_DAY

pytestmark = pytest.mark.django_db


def test_the_payouts_page_and_api_show_each_payouts_outcome(client, se_case, make_user):
    case = se_case()
    creditor = case.creditor
    payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id="page-1",
        amount=Decimal("1251.78"),
        paid_on=LETTER_DAY,
    )
    user = make_user(creditor)
    client.force_login(user)
    page = client.get(reverse("payout-list", args=[creditor.pk])).content.decode()
    assert 'id="waiting-SEK"' in page and "1 settlement" in page

    # No ERP connection here: the voucher fails, with the reason, and waits for the next run.
    (payout,) = payouts_run(creditor=creditor, today=LETTER_DAY)
    payout.refresh_from_db()
    assert payout.voucher_status == Payout.VoucherStatus.FAILED and payout.last_error
    page = client.get(reverse("payout-list", args=[creditor.pk])).content.decode()
    assert payout.external_number in page and "996.78" in page
    assert "Failed, retried" in page and payout.last_error.split(":")[0] in page
    assert 'id="waiting-SEK"' not in page

    pdf = client.get(reverse("payout-remittance", args=[creditor.pk, payout.pk]))
    body = b"".join(pdf.streaming_content)
    assert (
        body.startswith(b"%PDF-") and hashlib.sha256(body).hexdigest() == payout.remittance_sha256
    )

    api = client.get(f"/api/creditors/{creditor.pk}/payouts/").json()["results"]
    assert [(p["reference"], p["amount"], p["voucher_status"]) for p in api] == [
        (payout.external_number, "996.78", "failed")
    ]
    assert api[0]["last_error"] == payout.last_error and api[0]["settlements"] == 1
