"""One HTTP base for all ERP clients (client), with its auth strategies (auth), paginators
(paging), retry policy (retry) and rate limit per ERP tenant (ratelimit)."""

from integrations.http.auth import (
    Auth,
    HeaderAuth,
    OAuth2ClientCredentials,
    SessionTokenAuth,
    SignedHeaderAuth,
    basic,
    credential_key,
)
from integrations.http.client import DEFAULT_TIMEOUT, ErpHttpClient, seconds
from integrations.http.paging import (
    ContinuationPaging,
    OffsetPaging,
    PageNumberPaging,
    after_last_key,
)
from integrations.http.ratelimit import RateLimit
from integrations.http.retry import NO_RETRY, RetryPolicy

__all__ = [
    "DEFAULT_TIMEOUT",
    "NO_RETRY",
    "Auth",
    "ContinuationPaging",
    "ErpHttpClient",
    "HeaderAuth",
    "OAuth2ClientCredentials",
    "OffsetPaging",
    "PageNumberPaging",
    "RateLimit",
    "RetryPolicy",
    "SessionTokenAuth",
    "SignedHeaderAuth",
    "after_last_key",
    "basic",
    "credential_key",
    "forget_process_state",
    "seconds",
]


def forget_process_state() -> None:
    """Forget the process's cached tokens and rate-limit buckets (tests: a new emulator, often
    on a reused port, starts without them)."""
    from integrations.http import auth, ratelimit

    auth.TOKENS.clear()
    ratelimit.reset()
