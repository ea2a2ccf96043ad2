"""Auth strategies for the HTTP base. Each signs the prepared request, so it sees the final URL
(query string included) exactly as it is sent, and signs every attempt anew (a retry gets a fresh
timestamp and transaction id).

- `SessionTokenAuth`: a token made by a create call and sent on every call until refused
  (Tripletex: PUT /token/session/:create, then Basic "<companyId>:<token>");
- `OAuth2ClientCredentials`: a bearer token from a token endpoint, cached until shortly before
  it expires, then renewed (Visma Connect);
- `SignedHeaderAuth`: headers computed over the method and final URL of each request
  (Netvisor's MAC, see integrations.netvisor.auth);
- `HeaderAuth`: fixed headers (Inexchange's APIKey / ClientToken).

Tokens are cached per process, keyed by a hash of the credentials: each task builds its own
client, and a new token per task would double the calls against the ERP's rate limit.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import requests

from integrations.errors import ErpMalformedResponse

if TYPE_CHECKING:
    from integrations.http.client import ErpHttpClient


class Auth(requests.auth.AuthBase):
    client: ErpHttpClient | None = None

    def bind(self, client: ErpHttpClient) -> None:
        """The client whose calls this signs (token calls go through it: logged, retried)."""
        self.client = client

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request

    def refused(self, request: requests.PreparedRequest) -> bool:
        """The ERP answered 401 to `request`: forget the credential it carried. True if a new
        one may be accepted (it was not made for this very call)."""
        return False


class HeaderAuth(Auth):
    def __init__(self, headers: dict[str, str]):
        self.headers = dict(headers)

    def __call__(self, request):
        request.headers.update(self.headers)
        return request


class SignedHeaderAuth(Auth):
    """`sign(method, url)` returns the headers for this request; `url` is the final URL."""

    def __init__(self, sign: Callable[[str, str], dict[str, str]]):
        self.sign = sign

    def __call__(self, request):
        request.headers.update(self.sign(request.method, request.url))
        return request


class TokenCache:
    """Tokens per credential key, shared by every client in the process, with their expiry."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._tokens: dict[str, tuple[str, float | None]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, key: str) -> str | None:
        with self._lock:
            found = self._tokens.get(key)
            if found is None:
                return None
            token, expires = found
            if expires is not None and self.clock() >= expires:
                del self._tokens[key]
                return None
            return token

    def put(self, key: str, token: str, expires: float | None = None) -> None:
        with self._lock:
            self._tokens[key] = (token, expires)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()

    def forget(self, key: str, token: str) -> None:
        with self._lock:
            if self._tokens.get(key, (None,))[0] == token:
                del self._tokens[key]


TOKENS = TokenCache()


def credential_key(*parts) -> str:
    """A cache key that holds no secret."""
    return hashlib.sha256("\x00".join(map(str, parts)).encode()).hexdigest()


class _CachedTokenAuth(Auth):
    def __init__(self, key: str, cache: TokenCache = TOKENS):
        self.key, self.cache = key, cache

    def fetch(self) -> tuple[str, float | None]:
        """A new token and its expiry (a `cache.clock` time), or None for no expiry."""
        raise NotImplementedError

    def header(self, token: str) -> dict[str, str]:
        raise NotImplementedError

    def token(self) -> tuple[str, bool]:
        """The cached token, or a new one; and whether it is new."""
        token = self.cache.get(self.key)
        if token:
            return token, False
        with self.cache.lock(self.key):  # one fetch at a time per credential
            token = self.cache.get(self.key)
            if token:
                return token, False
            token, expires = self.fetch()
            self.cache.put(self.key, token, expires)
            return token, True

    def __call__(self, request):
        token, fresh = self.token()
        request.headers.update(self.header(token))
        request.erp_credential = (token, fresh)
        return request

    def refused(self, request) -> bool:
        token, fresh = getattr(request, "erp_credential", (None, True))
        if token:
            self.cache.forget(self.key, token)
        return not fresh


class SessionTokenAuth(_CachedTokenAuth):
    """`create()` makes a session and returns its token (no expiry known: renewed when refused);
    `header(token)` is what each call sends."""

    def __init__(self, create: Callable[[], str], header: Callable[[str], dict], *, key: str):
        super().__init__(key)
        self.create, self._header = create, header

    def fetch(self):
        return self.create(), None

    def header(self, token):
        return self._header(token)


def basic(username: str) -> Callable[[str], dict]:
    """HTTP Basic with the token as password (Tripletex: "<companyId>:<sessionToken>")."""

    def header(token: str) -> dict:
        pair = base64.b64encode(f"{username}:{token}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}

    return header


class OAuth2ClientCredentials(_CachedTokenAuth):
    """grant_type=client_credentials against `token_url`; the token is kept until `leeway`
    seconds (at most a tenth of its life) before `expires_in` runs out, then renewed."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str = "",
        extra: dict | None = None,  # e.g. {"tenant_id": ...}: one token per company (Visma)
        leeway: float = 60.0,
        cache: TokenCache = TOKENS,
    ):
        self.token_url, self.client_id, self.client_secret = token_url, client_id, client_secret
        self.scope, self.extra, self.leeway = scope, dict(extra or {}), leeway
        key = credential_key(token_url, client_id, client_secret, scope, sorted(self.extra.items()))
        super().__init__(key, cache)

    def fetch(self):
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            **({"scope": self.scope} if self.scope else {}),
            **self.extra,
        }
        asked = self.cache.clock()
        body = self.client.json(
            "POST", self.token_url, data=form, authenticate=False, idempotent=True
        )
        token = body.get("access_token") if isinstance(body, dict) else None
        lifetime = body.get("expires_in") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise ErpMalformedResponse("token answer has no access_token", erp=self.client.erp_name)
        if isinstance(lifetime, bool) or not isinstance(lifetime, (int, float)) or lifetime <= 0:
            return token, None  # no lifetime given: kept until refused
        return token, asked + lifetime - min(self.leeway, lifetime / 10)

    def header(self, token):
        return {"Authorization": f"Bearer {token}"}
