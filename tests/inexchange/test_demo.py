"""`make run`'s Inexchange demo creditor: Swedish, SEK, bankgiro payout, its agreement signed as
onboarding signs it (an AgreementSignature with the PDF and its SHA-256, not a bare date), the
partner key Inexchange calls us with, and after the first sync its cases' letters in Swedish."""

import hashlib

import pytest
from django.conf import settings

from cases.models import Case
from collection.inexchange_demo import DEMO_PARTNER_KEY, USER, load_inexchange_demo
from collection.inexchange_models import PartnerCompany
from collection.sync import creditor_sync
from collection.tasks import advance_due_cases
from creditors.models import AgreementSignature, CreditorAuditEvent
from integrations.demo import demo_today
from integrations.inexchange.emulator.demo import start_demo_emulator
from letters.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_emulator():
    emulator, seeded, server = start_demo_emulator(
        0, demo_today(), settings.INEXCHANGE_PARTNER_API_KEY
    )
    yield server.url, seeded
    server.shutdown()


def test_the_demo_creditor_signs_through_the_signing_interface_and_writes_swedish_letters(
    demo_emulator, django_capture_on_commit_callbacks
):
    url, seeded = demo_emulator
    creditor = load_inexchange_demo(erp_url=url, seeded=seeded)
    creditor.refresh_from_db()
    assert (creditor.country, creditor.currency, creditor.erp_kind) == ("SE", "SEK", "inexchange")
    assert (creditor.status, creditor.payout_account_kind) == ("active", "bankgiro")

    (row,) = AgreementSignature.objects.filter(creditor=creditor)
    assert hashlib.sha256(row.pdf.read()).hexdigest() == row.sha256
    assert row.method == "development" and row.signed_by.username == USER
    assert creditor.agreement_signed_at == row.signed_at
    assert CreditorAuditEvent.objects.filter(
        creditor=creditor, action="agreement_signed", new_value__contains=row.sha256
    ).exists()
    enrolled = PartnerCompany.objects.get(creditor=creditor)
    assert enrolled.partner.prefix == DEMO_PARTNER_KEY.split("_")[1]

    again = load_inexchange_demo(erp_url=url, seeded=seeded)  # a re-run signs nothing again
    assert again.pk == creditor.pk
    assert AgreementSignature.objects.filter(creditor=creditor).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        run = creditor_sync(creditor=creditor, today=demo_today())
    assert run.status == "ok", run.error
    assert Case.objects.filter(creditor=creditor).count() == 5
    with django_capture_on_commit_callbacks(execute=True):
        advance_due_cases()
    letters = Letter.objects.filter(case__creditor=creditor)
    assert letters.count() == 5
    assert set(letters.values_list("language", flat=True)) == {"sv"}
