"""The demo's creditors sign their agreement as onboarding does (creditors.signing): one
AgreementSignature each, with the agreement's PDF and its SHA-256, the signer, the method and the
time, audited; a re-run of the demo signs nothing again."""

import hashlib

import pytest
from pypdf import PdfReader

from creditors.models import AgreementSignature, CreditorAuditEvent

pytestmark = pytest.mark.django_db


def test_the_demo_signs_through_the_signing_interface(tripletex):
    from collection.demo import load_demo

    creditors = load_demo(erp_url=tripletex.url, seeded=tripletex.seeded)
    for creditor in creditors:
        creditor.refresh_from_db()
        (row,) = AgreementSignature.objects.filter(creditor=creditor)
        pdf = row.pdf.read()
        assert hashlib.sha256(pdf).hexdigest() == row.sha256
        text = "".join(page.extract_text() for page in PdfReader(row.pdf.path).pages)
        assert creditor.legal_name in text
        assert row.method == "development" and row.signer_name.startswith("demo")
        assert row.signed_by.username == "demo"
        assert creditor.agreement_signed_at == row.signed_at and creditor.status == "active"
        assert CreditorAuditEvent.objects.filter(
            creditor=creditor, action="agreement_signed", new_value__contains=row.sha256
        ).exists()
    load_demo(erp_url=tripletex.url, seeded=tripletex.seeded)  # a re-run
    assert AgreementSignature.objects.count() == len(creditors)
