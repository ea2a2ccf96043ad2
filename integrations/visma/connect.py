"""Visma Connect sign-in for the registration from Visma Home (seed 000): OpenID Connect's
authorization code flow with PKCE (S256), as a confidential client (our client id and secret).

    authorize_url(...)  -> the browser goes to Visma Connect, signs in, comes back with a code
    user_sign_in(...)   -> the code exchanged (with the verifier) for an access token, then
                           /connect/userinfo: who signed in and the company tenants in which
                           they have the "AutoCollect user" role

Decision: who the person is comes from the userinfo endpoint, read with the access token we
were just given over TLS by the token endpoint (OIDC Core 5.3), not from the id_token's claims,
so the id_token's signature (and a JWKS fetch) are not needed for it. The state parameter ties
the callback to the browser that began the sign-in; PKCE ties the code to it."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

SCOPE = "openid profile email"
TIMEOUT = 15


class ConnectRefused(Exception):
    """Visma Connect refused the sign-in (a used or expired code, a wrong verifier or client),
    or could not be reached."""


@dataclass(frozen=True)
class ConnectTenant:
    tenant_id: str
    name: str
    corporate_id: str = ""


@dataclass(frozen=True)
class ConnectUser:
    sub: str
    name: str
    email: str
    tenants: tuple[ConnectTenant, ...]


def pkce_pair() -> tuple[str, str]:
    """A fresh code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(
    *, connect_url: str, client_id: str, redirect_uri: str, state: str, challenge: str
) -> str:
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPE,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"{connect_url.rstrip('/')}/connect/authorize?{urlencode(query)}"


def user_sign_in(
    *,
    connect_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    verifier: str,
) -> ConnectUser:
    base = connect_url.rstrip("/")
    try:
        answer = requests.post(
            f"{base}/connect/token",
            data={
                "grant_type": "authorization_code",
                "client_id": client_id,
                "client_secret": client_secret,
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
            timeout=TIMEOUT,
        )
        if answer.status_code != 200:
            raise ConnectRefused(f"token: {answer.status_code} {_error(answer)}")
        token = answer.json().get("access_token")
        if not token:
            raise ConnectRefused("token: no access_token in the answer")
        info = requests.get(
            f"{base}/connect/userinfo",
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )
        if info.status_code != 200:
            raise ConnectRefused(f"userinfo: {info.status_code} {_error(info)}")
        data = info.json()
    except (requests.RequestException, ValueError) as exc:
        raise ConnectRefused(f"Visma Connect could not be reached: {exc}") from exc
    if not data.get("sub"):
        raise ConnectRefused("userinfo: no subject")
    tenants = tuple(
        ConnectTenant(str(t["id"]), str(t.get("name") or ""), str(t.get("corporateId") or ""))
        for t in data.get("tenants") or []
        if isinstance(t, dict) and t.get("id")
    )
    return ConnectUser(
        sub=str(data["sub"]),
        name=str(data.get("name") or ""),
        email=str(data.get("email") or "").strip().lower(),
        tenants=tenants,
    )


def _error(answer) -> str:
    try:
        return str(answer.json().get("error") or answer.text[:200])
    except ValueError:
        return answer.text[:200]
