"""Payouts end to end over real HTTP to the Tripletex emulator: the remittance e-mailed with its
PDF, the one voucher per payout in the creditor's ledger (balanced, closing the invoice), posted
once however often it is posted, and an ERP outage leaving the payout's voucher to the next run."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from pypdf import PdfReader

from cases import ledger
from cases.models import Case, Payment
from collection.erp import adapter_for
from collection.payments import payment_register
from collection.payouts import payouts_run
from collection.postings import erp_voucher, payout_post
from collection.sync import creditor_sync
from creditors.models import AccountSetup
from settlements.models import Payout
from tests.conftest import TT_TODAY
from tests.onboarding import active_creditor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
V = Payout.VoucherStatus


@pytest.fixture
def paid_case(tripletex, tripletex_connection):
    """A creditor onboarded from the emulator, its cases imported, the first one paid in full to
    us (no letter yet: capital only)."""
    creditor = active_creditor(tripletex_connection(0))
    creditor_sync(creditor=creditor, today=TT_TODAY)
    case = Case.objects.filter(creditor=creditor).order_by("pk").first()
    payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id="bank-payout-1",
        amount=ledger.outstanding(case),
        paid_on=TT_TODAY,
    )
    return case


def erp_vouchers(tripletex, payout) -> list[dict]:
    company = tripletex.seeded["companies"][0]["id"]
    return [
        v
        for v in tripletex.vouchers(company)
        if v["externalVoucherNumber"] == payout.external_number
    ]


def test_a_payout_is_paid_remitted_and_booked_once(tripletex, paid_case):
    creditor = paid_case.creditor
    invoice = paid_case.invoices.get()
    company = tripletex.seeded["companies"][0]["id"]
    assert tripletex.invoice(company, int(invoice.erp_id))["amountCurrencyOutstanding"] > 0
    (payout,) = payouts_run(creditor=creditor, today=TT_TODAY)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID and payout.voucher_status == V.POSTED
    # The remittance went to the contact person with its PDF, in the creditor's language.
    (message,) = mail.outbox
    assert message.to == [creditor.contact_email] == [payout.remittance_sent_to]
    name, pdf, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{payout.external_number}.pdf", "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Remitteringsbilag" in text and payout.external_number in text
    assert invoice.number in text and paid_case.number in text
    # One voucher, balanced, on the account setup's accounts; the invoice is closed in the ERP.
    (voucher,) = erp_vouchers(tripletex, payout)
    assert str(voucher["id"]) == payout.erp_voucher_id
    amounts = [Decimal(str(p["amountGross"])) for p in voucher["postings"]]
    assert sum(amounts) == 0
    assert [a for a in amounts if a > 0] == [payout.amount]  # on the clearing account
    assert tripletex.invoice(company, int(invoice.erp_id))["amountCurrencyOutstanding"] == 0
    # The next run has nothing new, and sends and posts nothing again.
    assert payouts_run(creditor=creditor, today=TT_TODAY) == []
    assert len(mail.outbox) == 1 and len(erp_vouchers(tripletex, payout)) == 1


def test_posting_a_payout_twice_creates_one_voucher(tripletex, paid_case):
    (payout,) = payouts_run(creditor=paid_case.creditor, today=TT_TODAY)
    payout.refresh_from_db()
    first = payout.erp_voucher_id
    # Our record of the post is lost: the payout looks never posted (its first attempt even).
    Payout.objects.filter(pk=payout.pk).update(
        voucher_status=V.PENDING, erp_voucher_id="", post_attempts=0
    )
    assert payout_post(payout_id=payout.pk).erp_voucher_id == first
    # And the adapter itself, asked straight to post the same voucher: the one it has.
    adapter = adapter_for(paid_case.creditor)
    assert adapter.post_settlement_voucher(erp_voucher(payout)) == first
    assert len(erp_vouchers(tripletex, payout)) == 1


def test_an_erp_outage_leaves_the_payout_pending_and_the_next_run_posts_it(tripletex, paid_case):
    tripletex.faults.server_error("/ledger/voucher", status=503, times=None)
    (payout,) = payouts_run(creditor=paid_case.creditor, today=TT_TODAY)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID  # the money went out, the remittance too
    assert payout.voucher_status == V.FAILED and payout.last_error
    assert payout.remittance_sent_at and not erp_vouchers(tripletex, payout)
    tripletex.faults.clear()
    assert payouts_run(creditor=paid_case.creditor, today=TT_TODAY) == []  # nothing new ...
    payout.refresh_from_db()
    assert payout.voucher_status == V.POSTED and payout.last_error == ""  # ... but posted now
    assert len(erp_vouchers(tripletex, payout)) == 1


def test_bookkeeping_switched_off_gets_the_remittance_only(tripletex, paid_case):
    AccountSetup.objects.filter(creditor=paid_case.creditor).update(enabled=False)
    (payout,) = payouts_run(creditor=paid_case.creditor, today=TT_TODAY)
    payout.refresh_from_db()
    assert payout.voucher_status == V.NOT_POSTED and not erp_vouchers(tripletex, payout)
    text = PdfReader(io.BytesIO(mail.outbox[0].attachments[0][1])).pages[0].extract_text()
    assert "Bokfør oppgjøret" in text
    assert payout.amount == Decimal(payout.amount)
