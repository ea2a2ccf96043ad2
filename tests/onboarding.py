"""The creditor the tests over the Tripletex emulator start from: onboarded from the ERP company
behind a connection (Norway, paid out to a Norwegian account), agreement signed, active."""

from collection.onboarding import creditor_onboard
from creditors.models import Creditor
from creditors.services import creditor_activate, creditor_sign_agreement


def active_creditor(connection: dict) -> Creditor:
    creditor = creditor_onboard(
        erp_kind="tripletex",
        connection=connection,
        country="NO",
        payout_account_kind="no_account",
        payout_account="8601 11 17947",
        contact_email="okonomi@example.no",
    )
    creditor_sign_agreement(creditor=creditor)
    creditor_activate(creditor=creditor)
    return creditor
