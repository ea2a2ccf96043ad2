"""A Visma.net creditor's payout booked in Visma.net through the platform's own path (the payout
run, collection.postings.payout_post, the creditor's adapter), over real HTTP to the emulator:
one released journal transaction on the account setup's accounts, posted once however often it
is posted."""

from decimal import Decimal

import pytest

from cases import ledger
from cases.models import Case, Payment
from collection.erp import adapter_for
from collection.payments import payment_register
from collection.payouts import payouts_run
from collection.postings import erp_voucher, payout_post
from collection.sync import creditor_sync
from settlements.models import Payout
from tests.integrations.visma.conftest import TODAY

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
V = Payout.VoucherStatus


@pytest.fixture
def paid_case(visma_creditor, monkeypatch):
    monkeypatch.setattr("collection.tasks.write_case_reference.delay", lambda *a: None)
    monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
    creditor = visma_creditor()
    creditor.payout_account_kind, creditor.payout_account = "bankgiro", "50501055"
    creditor.contact_email = "ekonomi@example.se"
    creditor.save()
    setup = creditor.account_setup
    setup.receivable_account, setup.clearing_account = 1550, 1930  # not the defaults
    setup.save()
    assert creditor_sync(creditor=creditor, today=TODAY).status == "ok"
    case = Case.objects.filter(creditor=creditor).order_by("pk").first()
    payment_register(
        case=case,
        source=Payment.Source.COLLECTOR,
        external_id="bg-visma-payout-1",
        amount=ledger.outstanding(case),
        paid_on=TODAY,
    )
    return case


def journal(visma, norrsken, payout) -> list[dict]:
    return [
        j
        for j in visma.journal_transactions(norrsken["tenant_id"])
        if payout.external_number in (j.get("description") or "")
        or any(
            payout.external_number in (line.get("referenceNumber") or "")
            for line in j.get("journalTransactionLines", [])
        )
    ]


def test_a_visma_payout_is_one_released_journal_transaction_on_the_account_setup(
    visma, norrsken, paid_case
):
    (payout,) = payouts_run(creditor=paid_case.creditor, today=TODAY)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID and payout.voucher_status == V.POSTED
    (posted,) = journal(visma, norrsken, payout)
    assert posted["batchNumber"] == payout.erp_voucher_id and posted["status"] == "Posted"
    lines = posted["journalTransactionLines"]
    assert {line["accountNumber"] for line in lines} == {"1550", "1930"}
    debit = sum(Decimal(str(line.get("debitAmountInCurrency") or 0)) for line in lines)
    credit = sum(Decimal(str(line.get("creditAmountInCurrency") or 0)) for line in lines)
    assert debit == credit == payout.amount > 0
    assert (
        next(
            Decimal(str(line["debitAmountInCurrency"]))
            for line in lines
            if line["accountNumber"] == "1930"
        )
        == payout.amount
    )  # the money out of the clearing account's side, as the voucher says


def test_a_visma_payout_posted_twice_is_one_journal_transaction(visma, norrsken, paid_case):
    (payout,) = payouts_run(creditor=paid_case.creditor, today=TODAY)
    payout.refresh_from_db()
    first = payout.erp_voucher_id
    assert first
    # Our record of the post is lost: the payout looks never posted, first attempt even.
    Payout.objects.filter(pk=payout.pk).update(
        voucher_status=V.PENDING, erp_voucher_id="", post_attempts=0
    )
    assert payout_post(payout_id=payout.pk).erp_voucher_id == first
    assert adapter_for(paid_case.creditor).post_settlement_voucher(erp_voucher(payout)) == first
    assert len(journal(visma, norrsken, payout)) == 1
    assert payouts_run(creditor=paid_case.creditor, today=TODAY) == []
    assert len(journal(visma, norrsken, payout)) == 1
