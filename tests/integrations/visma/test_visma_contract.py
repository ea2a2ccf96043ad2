"""Every JSON body the Visma.net emulator answered, and every body our client sent it, in a run
that touches each route (import, customers, write-back with a 412, payments, credit notes,
vouchers, errors), validated against the schema of the published shapes vendored in
integrations/visma/reference (closed: a field name invented on either side fails)."""

from decimal import Decimal
from pathlib import Path

import integrations.visma as package
from integrations.base import CaseStatus, InvoiceRef, SettlementVoucher, VoucherLine
from integrations.emulation.contracts import OpenApiContract
from integrations.errors import ErpNotFound
from tests.integrations.visma.conftest import TODAY

SCHEMA = Path(package.__file__).parent / "reference" / "visma-net-openapi-subset.json"


def contract() -> OpenApiContract:
    return OpenApiContract(SCHEMA, error_ref="#/components/schemas/ErrorDto")


def test_every_exchange_has_the_published_shape(visma, adapter, client, norrsken):
    invoices = list(adapter.list_open_invoices(as_of=TODAY))
    list(adapter.list_customers())
    adapter.list_customer_classes()
    adapter.fetch_company()
    for invoice in invoices[:3]:
        adapter.list_direct_payments(adapter.get_invoice(invoice.erp_id))
    ref = InvoiceRef(invoices[0].erp_id)
    visma.direct_payment(norrsken["tenant_id"], invoices[0].erp_id, "10.00", TODAY)  # a 412
    adapter.write_case_reference(invoice=ref, case_number="SE-9", url="https://x.example/9")
    adapter.write_case_status(invoice=ref, case_number="SE-9", status=CaseStatus.PAID)
    adapter.register_payment(
        invoice=InvoiceRef(invoices[1].erp_id), paid_on=TODAY, amount=Decimal("5"), currency="SEK"
    )
    voucher = SettlementVoucher(
        "ST-1",
        TODAY,
        "Settlement",
        "SEK",
        (VoucherLine(1940, Decimal("10.00"), "x"), VoucherLine(1510, Decimal("-10.00"), "y")),
    )
    batch = adapter.post_settlement_voucher(voucher)
    adapter.post_settlement_voucher(voucher)
    c = client()
    c.get_object(f"/v1/journaltransaction/{batch}")
    c.get_customer(norrsken["consumers"][0])
    list(c.list_credit_notes())
    list(c.list_payments(invoiceRefNbr=invoices[1].erp_id))
    try:
        c.get_invoice("404404")
    except ErpNotFound:
        pass
    log = [
        {**r, "request_text": None} if r["route"] == "/connect/token" else r
        for r in visma.requests()
    ]
    checked = contract()
    assert checked.check(log) == []
    covered = checked.covered(log)
    routes = {(m, route) for m, route, _ in covered}
    assert routes == {(m.upper(), p) for p, ops in checked.doc["paths"].items() for m in ops}
    assert ("PUT", "/v1/customerinvoice/{invoiceNumber}", False) in covered  # the 412
    assert ("GET", "/v1/customerinvoice/{invoiceNumber}", False) in covered  # the 404


def test_the_contract_catches_an_invented_field(visma, adapter):
    list(adapter.list_open_invoices(as_of=TODAY))
    record = next(r for r in visma.requests("/v1/customerinvoice") if r["status"] == 200)
    broken = {
        **record,
        "response_text": record["response_text"].replace('"balance":', '"balanceDue":', 1),
    }
    problems = contract().check([broken])
    assert problems and "balanceDue" in problems[0]
