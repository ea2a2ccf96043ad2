"""Signing the collection agreement, through one interface whatever the method.

A `Signer` is asked to `start` a signing of one or more agreements (a firm signs for the clients
it onboards in one act) and to `complete` it with what came back: our own form's fields for the
development signer, the provider's callback parameters for BankID. It returns who signed, how and
when; `agreements_sign` stores each agreement's PDF with its SHA-256 and that signature.

Which signer runs is settings.AUTOCOLLECT_SIGNER, a key of SIGNERS (an explicit table, like the
ERP registry: no class loaded by a name from the environment). README: "Signing the agreement".

The PDF is made by the same machinery as the letters and the remittance (one WeasyPrint entry
point: letters.rendering.html_to_pdf, with its fonts and its local-only URL fetcher). creditors is
below letters in the layers and may not import it, so `agreement_render` is handed the renderer
by its caller in collection/ (onboarding_views).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditors.models import AgreementSignature, Creditor
from creditors.services import OnboardingError, audit_add
from nordic.accounts import format_payout_account

AGREEMENT_TEMPLATE = "agreements/agreement.html"


class SigningError(ValueError):
    """The signing was refused or not finished (shown to the user as it is)."""


@dataclass(frozen=True)
class Agreement:
    """One creditor's agreement as shown to the signer: the PDF and its checksum."""

    creditor_id: int
    creditor_name: str
    pdf: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


@dataclass(frozen=True)
class SigningStart:
    """Where the signer goes next: the provider's page (BankID), or our own form when empty."""

    redirect_url: str = ""


@dataclass(frozen=True)
class Signature:
    signer_name: str
    method: str
    signed_at: dt.datetime
    reference: str = ""  # the provider's transaction id, for support to look the signing up


class Signer(Protocol):
    method: str

    def start(self, agreements: Sequence[Agreement], *, callback_url: str) -> SigningStart:
        """Begin signing these agreements; the provider calls back on callback_url."""

    def complete(self, agreements: Sequence[Agreement], data: Mapping[str, str]) -> Signature:
        """The signature, from the form or the provider's callback; SigningError if refused."""


class DevelopmentSigner:
    """The person types their name and ticks "I sign". No identity is proven: for development,
    demos and tests; production sets AUTOCOLLECT_SIGNER to a BankID provider."""

    method = "development"

    def start(self, agreements: Sequence[Agreement], *, callback_url: str) -> SigningStart:
        return SigningStart()

    def complete(self, agreements: Sequence[Agreement], data: Mapping[str, str]) -> Signature:
        name = " ".join(str(data.get("signer_name", "")).split())
        if not name:
            raise SigningError(_("Type your full name to sign."))
        if data.get("i_sign") not in ("on", "1", "true"):
            raise SigningError(_("Tick “I sign the agreement” to sign."))
        return Signature(signer_name=name, method=self.method, signed_at=timezone.now())


SIGNERS: dict[str, type] = {DevelopmentSigner.method: DevelopmentSigner}


def signer() -> Signer:
    name = getattr(settings, "AUTOCOLLECT_SIGNER", DevelopmentSigner.method)
    try:
        return SIGNERS[name]()
    except KeyError:
        raise SigningError(f"AUTOCOLLECT_SIGNER {name!r} is not one of {sorted(SIGNERS)}") from None


# The payout account kinds (nordic.accounts) as the creditor reads them: the agreement and the
# settings page name the account by its kind.
PAYOUT_KINDS = {
    "no_account": gettext_lazy("Norwegian account"),
    "se_account": gettext_lazy("Swedish bank account"),
    "bankgiro": gettext_lazy("Bankgiro"),
    "plusgiro": gettext_lazy("Plusgiro"),
    "iban": gettext_lazy("IBAN"),
}


def agreement_context(creditor: Creditor) -> dict:
    """The agreement's data; the payout account named by its kind and written as in its country
    ("Bankgiro 5050-1055", "Norwegian account 8601 11 17947", "IBAN FI21 1234 5600 0007 85")."""
    kind = creditor.payout_account_kind
    account = format_payout_account(kind, creditor.payout_account)
    label = PAYOUT_KINDS.get(kind, "")
    return {
        "creditor": creditor,
        "collector": settings.AUTOCOLLECT_COLLECTOR.get(creditor.country, {}),
        "payout_account": f"{label} {account}".strip(),
    }


def agreement_html(creditor: Creditor, *, document: bool = False) -> str:
    """The agreement's text, for the page (a fragment) or the PDF (a whole document)."""
    return render_to_string(AGREEMENT_TEMPLATE, {**agreement_context(creditor), "doc": document})


def agreement_render(creditor: Creditor, *, render: Callable[[str], bytes]) -> Agreement:
    """The agreement PDF, made from its HTML by `render` (letters.rendering.html_to_pdf). No date
    in it, so the same creditor data renders the same bytes: the checksum shown when signing
    starts is checked again when it completes."""
    pdf = render(agreement_html(creditor, document=True))
    return Agreement(creditor_id=creditor.pk, creditor_name=creditor.legal_name, pdf=pdf)


@transaction.atomic
def agreements_sign(
    *, agreements: Sequence[Agreement], signature: Signature, user
) -> list[AgreementSignature]:
    """Store each agreement with the signature and mark its creditor signed, audited."""
    rows = []
    for agreement in agreements:
        creditor = Creditor.objects.select_for_update().get(pk=agreement.creditor_id)
        if creditor.status == Creditor.Status.TERMINATED:
            raise OnboardingError(_("%(name)s is terminated") % {"name": creditor.legal_name})
        row = AgreementSignature(
            creditor=creditor,
            sha256=agreement.sha256,
            signer_name=signature.signer_name,
            method=signature.method,
            reference=signature.reference,
            signed_at=signature.signed_at,
            signed_by=user,
        )
        name = f"agreement-{creditor.pk}-{agreement.sha256[:12]}.pdf"
        row.pdf.save(name, ContentFile(agreement.pdf), save=False)
        row.save()
        rows.append(row)
        creditor.agreement_signed_at = signature.signed_at
        creditor.save(update_fields=["agreement_signed_at"])
        audit_add(
            creditor=creditor,
            actor=user,
            action="agreement_signed",
            new=f"{signature.signer_name} ({signature.method}) sha256 {agreement.sha256}",
        )
    return rows
