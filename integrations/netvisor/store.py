"""The Netvisor Store's hand-off to us (OUR DESIGN: Netvisor's Store integration for a collection
service is not a public interface).

Seed 003: in the Store the user selects "Activate", sees what data the service transfers, selects
"Proceed to ... activation", accepts the terms and finishes the activation in the KYC step; the
service is removed in the Store too. Our design of how the browser reaches us:

1. The Store grants our integration user (settings.NETVISOR_STORE_CUSTOMER_ID/KEY) rights to the
   company, so that our requests with the company's Y-tunnus in X-Netvisor-Organisation-ID work.
2. It redirects the browser (303) to our URL for the action (`activate` or `remove`) with the
   fields below, `ts` (Unix seconds), a `nonce` and `sig = hex(HMAC-SHA256(secret, the values of
   FIELDS but sig joined with "|"))`, the secret shared with Netvisor
   (settings.NETVISOR_HANDOFF_SECRET).
3. We accept a hand-off once (its nonce) within MAX_AGE seconds. The user's name, e-mail and
   phone are the Netvisor user's (the guide: they must be saved in Netvisor to activate); the
   company's own data we read from Netvisor ourselves.

Plain Python (no Django): a test or the Store signs with it, we verify.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

MAX_AGE = 600
SIGNED = ("action", "org", "email", "name", "phone", "role", "ts", "nonce")
REQUIRED = ("action", "org", "email", "name", "ts", "nonce", "sig")
ACTIONS = ("activate", "remove")


class HandoffRefused(ValueError):
    """Forged, stale or incomplete (the reason, for the log and the page)."""


@dataclass(frozen=True)
class StoreHandoff:
    action: str
    org: str
    email: str
    name: str
    phone: str
    role: str
    nonce: str


def _mac(secret: str, values: dict) -> str:
    message = "|".join(values.get(name, "") for name in SIGNED).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def handoff_sign(*, secret: str, now: float, **fields: str) -> dict:
    """The query parameters of a hand-off: action, org, email, name and optionally phone, role."""
    values = {name: str(fields.get(name, "")) for name in SIGNED if name not in ("ts", "nonce")}
    values["ts"] = str(int(now))
    values["nonce"] = secrets.token_hex(16)
    return {**values, "sig": _mac(secret, values)}


def handoff_url(base: str, params: dict) -> str:
    return f"{base}{'&' if '?' in base else '?'}{urlencode(params)}"


def handoff_verify(*, secret: str, params, now: float) -> StoreHandoff:
    """The hand-off if signed right and fresh; HandoffRefused otherwise (the nonce is the
    caller's to check: it holds the rows)."""
    if not secret:
        raise HandoffRefused("no hand-off secret is configured")
    values = {name: str(params.get(name) or "") for name in (*SIGNED, "sig")}
    missing = [name for name in REQUIRED if not values[name]]
    if missing:
        raise HandoffRefused(f"the hand-off lacks {', '.join(missing)}")
    if not hmac.compare_digest(_mac(secret, values), values["sig"]):
        raise HandoffRefused("the hand-off's signature is wrong")
    if values["action"] not in ACTIONS:
        raise HandoffRefused(f"unknown action {values['action']!r}")
    try:
        age = now - int(values["ts"])
    except ValueError:
        raise HandoffRefused("the hand-off's time is not a number") from None
    if not -60 <= age <= MAX_AGE:
        raise HandoffRefused("the hand-off has expired")
    return StoreHandoff(**{k: values[k] for k in StoreHandoff.__dataclass_fields__})
