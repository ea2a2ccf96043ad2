"""`make run`'s Visma.net demo creditor: onboarded from the emulator's company tenant (company
data read through the adapter), with its import settings, and a first sync that opens cases."""

import hashlib

import pytest

from cases.models import Invoice
from collection.sync import creditor_sync
from collection.visma_demo import USER, load_visma_demo
from creditors.models import AgreementSignature, Creditor, CreditorAuditEvent
from integrations.visma.demo import start_visma_emulator
from tests.integrations.visma.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_creditor_is_onboarded_from_visma_and_synced(monkeypatch):
    monkeypatch.setattr("collection.tasks.write_case_reference.delay", lambda *a: None)
    monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
    emulator, seeded, server = start_visma_emulator(0, TODAY)
    try:
        creditor = load_visma_demo(erp_url=server.url, seeded=seeded)
        again = load_visma_demo(erp_url=server.url, seeded=seeded)  # idempotent
        assert again.pk == creditor.pk and Creditor.objects.filter(erp_kind="visma").count() == 1
        assert (creditor.legal_name, creditor.org_number) == ("Norrsken Bygg AB", "5566778899")
        assert (creditor.country, creditor.currency, creditor.status) == ("SE", "SEK", "active")
        assert creditor.city == "Umeå" and creditor.payout_account_kind == "bankgiro"
        assert creditor.memberships.filter(user__username=USER).exists()
        run = creditor_sync(creditor=creditor, today=TODAY)
    finally:
        server.shutdown()
    assert run.status == "ok", run.error
    numbers = set(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True))
    company = seeded["companies"][0]
    assert numbers and numbers <= set(company["open_invoices"])
    assert "100007" not in numbers  # class KONCERN excluded by the demo's import settings


def test_the_demo_creditor_signs_through_the_signing_interface():
    """Its agreement is signed as onboarding signs it: an AgreementSignature with the PDF and its
    SHA-256 and the demo user as signer, audited; not a bare date. A re-run signs nothing again."""
    emulator, seeded, server = start_visma_emulator(0, TODAY)
    try:
        creditor = load_visma_demo(erp_url=server.url, seeded=seeded)
        load_visma_demo(erp_url=server.url, seeded=seeded)
    finally:
        server.shutdown()
    creditor.refresh_from_db()
    (row,) = AgreementSignature.objects.filter(creditor=creditor)
    assert hashlib.sha256(row.pdf.read()).hexdigest() == row.sha256
    assert row.method == "development" and row.signed_by.username == USER
    assert row.signer_name == f"{USER} (Norrsken Bygg AB)"
    assert creditor.agreement_signed_at == row.signed_at and creditor.status == "active"
    assert CreditorAuditEvent.objects.filter(
        creditor=creditor, action="agreement_signed", new_value__contains=row.sha256
    ).exists()
