"""`make run`'s Netvisor demo creditor signs its agreement as onboarding signs it: an
AgreementSignature with the PDF and its SHA-256 and the demo user as signer, audited (not a bare
date), once however often the demo is loaded."""

import hashlib

import pytest
from netvisor_helpers import TODAY

from collection.netvisor_demo import USER, load_netvisor_demo
from creditors.models import AgreementSignature, CreditorAuditEvent

pytestmark = pytest.mark.django_db


def test_the_demo_creditor_signs_through_the_signing_interface(
    netvisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        creditor = load_netvisor_demo(erp_url=netvisor.url, seeded=netvisor.seeded, today=TODAY)
        again = load_netvisor_demo(erp_url=netvisor.url, seeded=netvisor.seeded, today=TODAY)
    assert again.pk == creditor.pk
    creditor.refresh_from_db()
    (row,) = AgreementSignature.objects.filter(creditor=creditor)
    assert hashlib.sha256(row.pdf.read()).hexdigest() == row.sha256
    assert row.method == "development" and row.signed_by.username == USER
    assert row.signer_name == f"{USER} ({creditor.legal_name})"
    assert creditor.agreement_signed_at == row.signed_at and creditor.status == "active"
    assert CreditorAuditEvent.objects.filter(
        creditor=creditor, action="agreement_signed", new_value__contains=row.sha256
    ).exists()


def test_the_emulators_invoices_carry_valid_finnish_references(netvisor):
    """Netvisor gives each sales invoice a viitenumero; the emulator's (made up when the seed names
    none) pass the 7-3-1 check as the real ones do."""
    from nordic.references import validate_fi_reference

    invoices = netvisor.state.store.all("invoice")
    assert invoices
    for invoice in invoices:
        assert validate_fi_reference(invoice["reference"])
