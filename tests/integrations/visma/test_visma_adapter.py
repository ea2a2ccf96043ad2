"""The Visma.net adapter's features over real HTTP to the emulator: open invoices with their
customers (consumers, businesses, classes, excluded), the case written back on the invoice (and
read back from it, with If-Match and a 412 re-read once), direct payments and credit notes from
the invoice's applications, a payment registered, and a journal transaction posted once."""

import datetime as dt
from decimal import Decimal

import pytest

from integrations import registry
from integrations.base import CaseStatus, InvoiceRef, SettlementVoucher, VoucherLine
from integrations.errors import ErpRejected, ErpUnavailable
from integrations.features import Feature
from tests.integrations.visma.conftest import TODAY, connection


def test_the_registry_knows_visma(visma, norrsken):
    adapter = registry.connect("visma", connection(visma, norrsken["tenant_id"]))
    assert adapter.label == "Visma.net"
    assert not adapter.missing_methods()
    assert adapter.has(Feature.POST_VOUCHER) and not adapter.has(Feature.LIST_CLIENT_COMPANIES)


def test_open_invoices_with_their_customers(adapter, norrsken):
    invoices = {i.number: i for i in adapter.list_open_invoices(as_of=TODAY)}
    assert set(invoices) == {*norrsken["open_invoices"], norrsken["excluded_invoice"]}
    assert norrsken["not_due_invoice"] not in invoices and norrsken["paid_invoice"] not in invoices
    consumers = {i.customer.number for i in invoices.values() if i.customer.is_private}
    assert consumers == set(norrsken["consumers"])
    assert {i.customer.customer_class for i in invoices.values()} == {
        "PRIVAT",
        "FORETAG",
        "KONCERN",
        "",
    }
    assert {i.currency for i in invoices.values()} == {"SEK", "EUR"}
    assert invoices[norrsken["excluded_invoice"]].collection_prohibited
    part_paid = invoices[norrsken["part_paid_invoice"]]
    assert (part_paid.amount, part_paid.outstanding) == (Decimal("56250.00"), Decimal("50000.00"))
    first = invoices[norrsken["open_invoices"][0]]
    assert first.customer.email and first.customer.address.city == "Umeå"
    assert first.payment_reference.startswith(first.number)
    assert first.text == "Badrumsrenovering, material"


def test_customers_and_classes(adapter, norrsken):
    customers = list(adapter.list_customers())
    assert {c.number for c in customers} >= set(norrsken["consumers"] + norrsken["businesses"])
    assert [c.erp_id for c in adapter.list_customer_classes()] == ["FORETAG", "KONCERN", "PRIVAT"]


def test_the_case_is_written_back_and_visible_on_the_invoice(adapter, visma, norrsken):
    number = norrsken["open_invoices"][0]
    ref = InvoiceRef(number)
    url = "https://portal.example/c/1/cases/SE-1/"
    adapter.write_case_reference(invoice=ref, case_number="SE-1", url=url)
    adapter.write_case_status(invoice=ref, case_number="SE-1", status=CaseStatus.ONGOING, url=url)
    shown = visma.invoice(norrsken["tenant_id"], number)["debtCollection"]
    assert shown == {
        "caseNumber": "SE-1",
        "caseType": "DebtCollection",
        "caseStatus": "Ongoing",
        "caseUrl": url,
    }
    puts = visma.requests(f"/v1/customerinvoice/{number}")
    writes = [r for r in puts if r["method"] == "PUT"]
    assert len(writes) == 1  # the status was shown already: not written twice
    assert '"debtCollectionCaseNbr": {"value": "SE-1"}' in writes[0]["request_text"]
    # A later night, a fresh adapter: nothing to write, the invoice shows it.
    again = registry.connect("visma", connection(visma, norrsken["tenant_id"]))
    again.write_case_reference(invoice=ref, case_number="SE-1", url=url)
    assert len([r for r in visma.requests("/v1/customerinvoice/") if r["method"] == "PUT"]) == 1
    again.write_case_status(invoice=ref, case_number="SE-1", status=CaseStatus.PAID, url=url)
    assert visma.invoice(norrsken["tenant_id"], number)["debtCollection"]["caseStatus"] == "Paid"


def test_the_write_sends_if_match_and_a_412_is_answered_by_reading_again(adapter, visma, norrsken):
    number = norrsken["open_invoices"][1]
    adapter.get_invoice(number)  # read: the adapter holds its ETag
    visma.direct_payment(norrsken["tenant_id"], number, "100.00", TODAY)  # moves the ETag
    adapter.write_case_reference(invoice=InvoiceRef(number), case_number="SE-2")
    exchanges = [(r["method"], r["status"]) for r in visma.requests(f"/customerinvoice/{number}")]
    assert exchanges == [("GET", 200), ("PUT", 412), ("GET", 200), ("PUT", 204)]
    assert visma.invoice(norrsken["tenant_id"], number)["debtCollection"]["caseNumber"] == "SE-2"


def test_a_412_twice_is_refused_not_looped(adapter, visma, norrsken):
    number = norrsken["open_invoices"][2]
    visma.fail_next(f"/customerinvoice/{number}", 412, method="PUT")
    visma.faults.answer(f"/customerinvoice/{number}", 412, method="PUT", skip=0)
    with pytest.raises(ErpRejected, match="412 twice"):
        adapter.write_case_reference(invoice=InvoiceRef(number), case_number="SE-3")


def test_direct_payments_and_credit_notes_come_from_the_applications(adapter, visma, norrsken):
    paid = adapter.get_invoice(norrsken["part_paid_invoice"])
    [payment] = adapter.list_direct_payments(paid)
    assert (payment.kind, payment.amount, payment.paid_on) == (
        "payment",
        Decimal("6250.00"),
        TODAY - dt.timedelta(days=2),
    )
    credited = adapter.get_invoice(norrsken["credited_invoice"])
    [credit] = adapter.list_direct_payments(credited)
    assert (credit.kind, credit.amount) == ("credit_note", Decimal("700.00"))
    assert norrsken["credit_note"] in credit.erp_id
    assert credited.outstanding == Decimal("18000.00")


def test_a_payment_is_registered_and_released(adapter, visma, norrsken):
    number = norrsken["open_invoices"][7]
    adapter.register_payment(
        invoice=InvoiceRef(number), paid_on=TODAY, amount=Decimal("1000.00"), currency="SEK"
    )
    after = adapter.get_invoice(number)
    assert after.outstanding == Decimal("2100.00")
    assert [p.amount for p in adapter.list_direct_payments(after)] == [Decimal("1000.00")]
    with pytest.raises(ErpRejected, match="in EUR on an invoice in SEK"):
        adapter.register_payment(
            invoice=InvoiceRef(number), paid_on=TODAY, amount=Decimal(1), currency="EUR"
        )


def voucher(number="ST-1") -> SettlementVoucher:
    return SettlementVoucher(
        external_number=number,
        date=TODAY,
        description="Settlement SE-1",
        currency="SEK",
        lines=(
            VoucherLine(1940, Decimal("4000.00"), "AutoCollect SE-1"),
            VoucherLine(1510, Decimal("-4375.00"), "Faktura 100001", "10001", "100001"),
            VoucherLine(3900, Decimal("375.00"), "Avgift"),
        ),
    )


def test_a_journal_transaction_is_posted_and_released_once_even_when_posted_twice(
    adapter, visma, norrsken
):
    first = adapter.post_settlement_voucher(voucher())
    second = registry.connect(
        "visma", connection(visma, norrsken["tenant_id"])
    ).post_settlement_voucher(voucher())
    assert first == second
    assert adapter.find_settlement_voucher("ST-1") == first
    [posted] = visma.journal_transactions(norrsken["tenant_id"])
    assert posted["status"] == "Posted"  # released
    assert posted["description"].startswith("AutoCollect ST-1:")
    assert posted["debitTotal"] == posted["creditTotal"] == Decimal("4375.00")
    assert [x["accountNumber"] for x in posted["journalTransactionLines"]] == [
        "1940",
        "1510",
        "3900",
    ]
    assert len(visma.requests("/v2/journaltransaction")) == 2  # one POST, one release
    assert adapter.find_settlement_voucher("ST-2") is None


def test_a_voucher_posted_but_not_released_is_released_when_found(adapter, visma, norrsken):
    visma.faults.server_error("/action/release", status=503, times=None)
    with pytest.raises(ErpUnavailable):  # the release is tried again, then given up
        adapter.post_settlement_voucher(voucher("ST-9"))
    assert visma.journal_transactions(norrsken["tenant_id"])[0]["status"] == "Balanced"
    visma.faults.clear()
    batch = adapter.post_settlement_voucher(voucher("ST-9"))  # found, released, not posted again
    [posted] = visma.journal_transactions(norrsken["tenant_id"])
    assert (posted["batchNumber"], posted["status"]) == (batch, "Posted")


def test_a_release_whose_answer_is_lost_is_not_an_error(adapter, visma, norrsken):
    visma.faults.drop("/action/release", method="POST", after=True)  # released, answer lost
    batch = adapter.post_settlement_voucher(voucher("ST-8"))
    [posted] = visma.journal_transactions(norrsken["tenant_id"])
    assert (posted["batchNumber"], posted["status"]) == (batch, "Posted")
    releases = [r["status"] for r in visma.requests("/action/release")]
    assert releases == [None, 400] or releases == [204, 400]  # again: "released already"


def test_an_unknown_account_is_refused_with_visma_s_message(adapter):
    bad = SettlementVoucher(
        "ST-3",
        TODAY,
        "x",
        "SEK",
        (VoucherLine(1111, Decimal("1.00")), VoucherLine(1510, Decimal("-1.00"))),
    )
    with pytest.raises(ErpRejected, match="Account '1111' does not exist"):
        adapter.post_settlement_voucher(bad)
