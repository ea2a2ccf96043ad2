"""The store hand-off (OUR DESIGN, not a documented Inexchange interface).

The guide (seed 004) says only that switching on "Påminnelse & Inkasso" in the Inexchange Store
shows the company data that will be fetched and then sends the user over to the collector. How
the browser is sent is ours to choose, and this is it:

1. In the Store, "Fortsätt" links the Inexchange user (by org number) to us as partner under an
   `ErpId` Inexchange makes for the link (the same id each time for the same company), exactly as
   a `companies/register` by us would: we can then make the company's client token with our
   partner key.
2. The browser is redirected (303) to our hand-off URL with
   `erp_id`, `org_no`, `ts` (Unix seconds), `nonce` and `sig`, where
   `sig = hex(HMAC-SHA256(secret, "erp_id|org_no|ts|nonce"))` and the secret is shared with
   Inexchange (settings.INEXCHANGE_HANDOFF_SECRET).
3. We accept a hand-off once (the nonce), within MAX_AGE seconds, and then fetch the company's
   data ourselves from Inexchange with a client token for that ErpId (`GET companies/details`):
   nothing in the URL but the ids is trusted, and the org number in it must be the one
   Inexchange holds.

The hand-off lets its holder set where a company's collected money is paid, so it is signed,
short-lived and single-use. Plain Python (no Django): the emulator signs with it, we verify.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

MAX_AGE = 600  # seconds from the Store's redirect to our check
FIELDS = ("erp_id", "org_no", "ts", "nonce", "sig")


class HandoffRefused(ValueError):
    """The hand-off is forged, stale, reused or incomplete (the reason, for the log and page)."""


@dataclass(frozen=True)
class Handoff:
    erp_id: str
    org_no: str
    nonce: str


def _mac(secret: str, erp_id: str, org_no: str, ts: str, nonce: str) -> str:
    message = "|".join((erp_id, org_no, ts, nonce)).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def handoff_sign(*, secret: str, erp_id: str, org_no: str, now: float | None = None) -> dict:
    """The query parameters of a hand-off (what the Store adds to our URL)."""
    ts = str(int(time.time() if now is None else now))
    nonce = secrets.token_hex(16)
    sig = _mac(secret, erp_id, org_no, ts, nonce)
    return {"erp_id": erp_id, "org_no": org_no, "ts": ts, "nonce": nonce, "sig": sig}


def handoff_url(base: str, params: dict) -> str:
    return f"{base}{'&' if '?' in base else '?'}{urlencode(params)}"


def handoff_verify(*, secret: str, params, now: float | None = None) -> Handoff:
    """The hand-off's company if its signature and age are right; HandoffRefused otherwise.
    (Whether the nonce was seen before is the caller's to check: it holds the store.)"""
    if not secret:
        raise HandoffRefused("no hand-off secret is configured")
    values = {name: str(params.get(name) or "") for name in FIELDS}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise HandoffRefused(f"the hand-off lacks {', '.join(missing)}")
    expected = _mac(secret, values["erp_id"], values["org_no"], values["ts"], values["nonce"])
    if not hmac.compare_digest(expected, values["sig"]):
        raise HandoffRefused("the hand-off's signature is wrong")
    try:
        age = (time.time() if now is None else now) - int(values["ts"])
    except ValueError:
        raise HandoffRefused("the hand-off's time is not a number") from None
    if not -60 <= age <= MAX_AGE:
        raise HandoffRefused("the hand-off has expired")
    return Handoff(erp_id=values["erp_id"], org_no=values["org_no"], nonce=values["nonce"])
