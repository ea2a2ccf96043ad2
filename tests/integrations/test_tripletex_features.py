"""The Tripletex adapter's features beyond the sync's own path, over real HTTP to the emulator:
customers and their classes, and a payment registered on the invoice."""

import datetime as dt
from decimal import Decimal

import pytest

from integrations import registry
from integrations.base import InvoiceRef
from integrations.errors import ErpRejected
from integrations.features import Feature
from tests.integrations.conftest import TODAY


@pytest.fixture
def adapter(server, seeded):
    company = seeded["companies"][0]
    return registry.connect(
        "tripletex", {"base_url": server.url, "employee_token": company["employee_token"]}
    )


def test_customers_and_their_classes_are_read(adapter, emulator, seeded):
    assert adapter.has(Feature.READ_CUSTOMERS)
    company = seeded["companies"][0]
    customers = list(adapter.list_customers())
    assert {c.erp_id for c in customers} == {str(i) for i in company["customer_ids"]}
    classes = adapter.list_customer_classes()
    assert classes and len({c.erp_id for c in classes}) == len(classes)
    named = {c.customer_class for c in customers if c.customer_class}
    assert {c.name for c in classes} == named  # every class in use, each once


def test_a_payment_is_registered_on_the_invoice(adapter, seeded):
    assert adapter.has(Feature.REGISTER_PAYMENT)
    invoice_id = str(seeded["companies"][0]["open_invoice_ids"][3])
    before = adapter.get_invoice(invoice_id)
    adapter.register_payment(
        invoice=InvoiceRef(invoice_id), paid_on=TODAY, amount=Decimal("100.00"), currency="NOK"
    )
    after = adapter.get_invoice(invoice_id)
    assert after.outstanding == before.outstanding - Decimal("100.00")
    assert [(p.amount, p.paid_on) for p in adapter.list_direct_payments(after)][-1] == (
        Decimal("100.00"),
        TODAY,
    )
    with pytest.raises(ErpRejected, match="in EUR needs its amount in NOK"):
        adapter.register_payment(
            invoice=InvoiceRef(invoice_id),
            paid_on=TODAY - dt.timedelta(days=1),
            amount=Decimal("1.00"),
            currency="EUR",
        )
