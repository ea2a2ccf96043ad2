"""Partners that call our partner API (Inexchange), their credentials and the creditors each
enrolled: made and checked here, the views (collection.inexchange_api) stay thin.

A partner authenticates with `Authorization: Partner-Key <key>`; the key is shown once when made
and stored as a hash. A partner reaches only the creditors enrolled through it (PartnerCompany),
by the company id it knows them by: another partner's company, or any creditor not enrolled
through this one, is a 404, as another tenant's object is everywhere else."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from cases.models import Invoice
from collection.inexchange_models import Partner, PartnerCompany
from creditors.models import Creditor

KEYWORD = "Partner-Key"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def partner_create(*, name: str, slug: str) -> tuple[Partner, str]:
    """A partner and its key; the key itself is returned once and never stored."""
    prefix = secrets.token_hex(6)
    key = f"acp_{prefix}_{secrets.token_urlsafe(32)}"
    partner = Partner.objects.create(name=name, slug=slug, prefix=prefix, key_hash=_hash(key))
    return partner, key


def partner_key_set(*, partner: Partner, key: str) -> Partner:
    """Give the partner a key it was handed outside (the demo's fixed one). Not for production:
    partner_create makes random keys."""
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "acp":
        raise ValueError("a partner key looks like acp_<prefix>_<secret>")
    partner.prefix, partner.key_hash, partner.revoked_at = parts[1], _hash(key), None
    partner.save(update_fields=["prefix", "key_hash", "revoked_at"])
    return partner


def partner_company_enrol(*, partner: Partner, creditor: Creditor, erp_id: str) -> PartnerCompany:
    """The creditor enrolled through the partner under its company id (idempotent)."""
    enrolled, _ = PartnerCompany.objects.update_or_create(
        creditor=creditor, defaults={"partner": partner, "erp_id": erp_id}
    )
    return enrolled


def partner_creditor(*, partner: Partner, erp_id: str) -> Creditor:
    """The creditor the partner enrolled under `erp_id`; NotFound for any other."""
    found = (
        PartnerCompany.objects.select_related("creditor")
        .filter(partner=partner, erp_id=erp_id)
        .first()
    )
    if found is None:
        raise exceptions.NotFound("No company with this id was enrolled through you.")
    return found.creditor


def partner_invoice(*, creditor: Creditor, document_id: str) -> Invoice:
    """The creditor's invoice with this Inexchange document id, in collection (it has a case)."""
    invoice = (
        Invoice.objects.for_creditor(creditor)
        .select_related("case")
        .filter(erp_id=document_id)
        .exclude(case=None)
        .first()
    )
    if invoice is None:
        raise exceptions.NotFound("No invoice in collection has this document id.")
    return invoice


class PartnerPrincipal:
    """request.user for a partner's call: authenticated, no person, no membership anywhere."""

    is_authenticated = True
    is_active = True
    is_staff = is_superuser = False
    is_anonymous = False

    def __init__(self, partner: Partner):
        self.partner = partner
        self.pk = self.id = f"partner-{partner.pk}"  # the throttle's key

    def __str__(self):
        return str(self.partner)


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Partner-Key <key>`: the partner, while its key is not revoked."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(f"Send: Authorization: {KEYWORD} <key>")
        key = header[1].decode(errors="replace")
        parts = key.split("_")
        partner = None
        if len(parts) >= 3 and parts[0] == "acp":
            partner = Partner.objects.filter(prefix=parts[1]).first()
        if partner is None or not hmac.compare_digest(partner.key_hash, _hash(key)):
            raise exceptions.AuthenticationFailed("Unknown partner key.")
        if partner.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This partner key was revoked.")
        return PartnerPrincipal(partner), partner

    def authenticate_header(self, request):
        return KEYWORD


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "collection.inexchange_partners.PartnerKeyAuthentication"
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"A partner's key (Inexchange): `{KEYWORD} <key>`.",
        }
