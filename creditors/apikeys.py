"""API keys per creditor for machine clients: created by the creditor's admin, shown once, stored
as a hash, revocable. A key acts as its own user with a membership of the key's role on its one
creditor, so the tenant check and the permission table hold for it as for a person.

Clients send `Authorization: Api-Key <key>`."""

import hashlib
import hmac
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import authentication, exceptions

from creditors import permissions
from creditors.models import ApiKey, Creditor, Membership
from creditors.services import audit_add

KEYWORD = "Api-Key"


def _hash(key: str) -> str:
    # The key is 32 random bytes: a plain digest cannot be brute-forced, and it is fast to check.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, creditor: Creditor, actor, name: str, role: str) -> tuple[ApiKey, str]:
    """A new key for the creditor; returns it with the key itself, which is never shown again."""
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    name = (name or "").strip()
    if not name:
        raise ValueError("an API key needs a name")
    if role not in Membership.Role.values:
        raise ValueError(f"unknown role {role!r}")
    prefix = secrets.token_hex(6)
    key = f"ac_{prefix}_{secrets.token_urlsafe(32)}"
    user = get_user_model().objects.create_user(username=f"api-key-{prefix}", password=None)
    Membership.objects.create(creditor=creditor, user=user, role=role)
    api_key = ApiKey.objects.create(
        creditor=creditor,
        name=name[:100],
        prefix=prefix,
        key_hash=_hash(key),
        role=role,
        user=user,
        created_by=actor,
    )
    audit_add(creditor=creditor, actor=actor, action="api_key_created", new=f"{api_key} {role}")
    return api_key, key


@transaction.atomic
def api_key_revoke(*, creditor: Creditor, actor, api_key: ApiKey) -> ApiKey:
    """Revoke the key: refused from its next request on. Revoking twice is a no-op."""
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    if api_key.creditor_id != creditor.pk:
        raise ValueError("not a key of this creditor")
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        Membership.objects.filter(user=api_key.user_id).delete()
        audit_add(creditor=creditor, actor=actor, action="api_key_revoked", old=str(api_key))
    return api_key


def api_keys(*, creditor: Creditor) -> QuerySet[ApiKey]:
    return ApiKey.objects.for_creditor(creditor)


def api_key_get(*, creditor: Creditor, key_id: int) -> ApiKey:
    return ApiKey.objects.for_creditor(creditor).get(pk=key_id)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>`: the key's own user, while the key is not revoked."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the key as: Authorization: Api-Key <key>")
        key = header[1].decode(errors="replace")
        parts = key.split("_")
        api_key = None
        if len(parts) >= 3 and parts[0] == "ac":
            api_key = ApiKey.objects.select_related("user").filter(prefix=parts[1]).first()
        if api_key is None or not hmac.compare_digest(api_key.key_hash, _hash(key)):
            raise exceptions.AuthenticationFailed("Unknown API key.")
        if api_key.revoked_at is not None or not api_key.user.is_active:
            raise exceptions.AuthenticationFailed("This API key was revoked.")
        now = timezone.now()
        if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)  # at most once a minute
        return api_key.user, api_key

    def authenticate_header(self, request):
        return KEYWORD
