"""Netvisor: a payment recorded on an invoice BEFORE the creditor transferred it is in the
transferred outstanding; the nightly read of the case's payments books only the later ones,
and nothing twice (collection.prior_movements). Over real HTTP to the emulator."""

import datetime as dt
from decimal import Decimal

import pytest
from netvisor_helpers import TODAY

from cases.models import Case, CaseEvent, Invoice, Payment
from collection.netvisor_payments import erp_payments_sync
from collection.netvisor_transfers import transfers_import

pytestmark = pytest.mark.django_db


def test_a_payment_before_the_transfer_is_not_booked_again(
    creditor, netvisor, django_capture_on_commit_callbacks
):
    org, ids = netvisor.seeded["organisation_id"], netvisor.seeded["invoices"]
    invoice_id = ids["reminder"]
    netvisor.state.add_payment(org, invoice_id, "30.00", on=TODAY, source="manual")
    with django_capture_on_commit_callbacks(execute=True):
        transfers_import(creditor=creditor, today=TODAY)
        erp_payments_sync(creditor=creditor, today=TODAY)  # the same night, as transfers_sync
    invoice = Invoice.objects.get(creditor=creditor, erp_id=str(invoice_id))
    assert invoice.original_amount - invoice.outstanding_amount == Decimal("30.00")
    case = Case.objects.get(pk=invoice.case_id)
    assert not Payment.objects.filter(case=case).exists()
    assert CaseEvent.objects.get(case=case, kind="erp_prior_movements").data["total"] == "30.00"

    later = TODAY + dt.timedelta(days=1)
    netvisor.state.add_payment(org, invoice_id, "40.00", on=later, source="manual")
    for night in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            erp_payments_sync(creditor=creditor, today=TODAY + dt.timedelta(days=night))
    amounts = list(Payment.objects.filter(case=case).values_list("amount", flat=True))
    assert amounts == [Decimal("40.00")]
