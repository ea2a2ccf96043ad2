"""The creditor the tests over the Tripletex emulator start from: onboarded from the ERP company
behind a connection (Norway, paid out to a Norwegian account), agreement signed as onboarding
signs it (creditors.signing: an AgreementSignature with the PDF and its SHA-256), active."""

from collection.demo import demo_agreement_sign
from collection.onboarding import creditor_onboard
from creditors.models import Creditor
from creditors.services import creditor_activate


def agreement_signed(creditor: Creditor, *, user=None) -> Creditor:
    """The agreement signed through the signing interface with the development signer (no
    BankID in tests): its PDF rendered and stored, the signature audited. Once per creditor."""
    demo_agreement_sign(creditor=creditor, user=user, signer_name=f"Test signer ({creditor})")
    creditor.refresh_from_db()
    return creditor


def active_creditor(connection: dict) -> Creditor:
    creditor = creditor_onboard(
        erp_kind="tripletex",
        connection=connection,
        country="NO",
        payout_account_kind="no_account",
        payout_account="8601 11 17947",
        contact_email="okonomi@example.no",
    )
    agreement_signed(creditor)
    creditor_activate(creditor=creditor)
    return creditor
