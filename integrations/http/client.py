"""One HTTP base for every ERP client: auth strategies, paging, typed errors (HTTP statuses and
errors inside a 200 body), retries with back-off for safe calls that honour Retry-After, a rate
limit per ERP tenant, and one log line per call.

An ERP's client subclasses it and sets what differs: `erp_name`, `rate_limit`, `retry`, its auth
strategy (`auth=`), how to read its error body (`error_reason`) and errors it hides in a 2xx body
(`body_error`), and its rows and paging (`iter_pages(..., paging=..., rows=...)`).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import requests

from integrations.errors import (
    ErpAuthError,
    ErpConflict,
    ErpError,
    ErpMalformedResponse,
    ErpNotFound,
    ErpRateLimited,
    ErpRejected,
    ErpUnavailable,
)
from integrations.http import ratelimit
from integrations.http.auth import Auth
from integrations.http.paging import Paging
from integrations.http.retry import SAFE_METHODS, RetryPolicy

logger = logging.getLogger("integrations.http")

DEFAULT_TIMEOUT = (5, 30)  # connect, read (seconds)
REQUEST_FIELDS = ("params", "data", "json", "headers", "files")


class ErpHttpClient:
    erp_name = "erp"
    retry = RetryPolicy()
    rate_limit: ratelimit.RateLimit | None = None  # per ERP tenant; None: not limited here
    # Path segments that carry a secret (a token in the path) are logged as "***".
    secret_path = re.compile(r"(?!)")

    def __init__(
        self,
        base_url: str,
        *,
        auth: Auth | None = None,
        tenant: str = "",
        timeout=DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: ratelimit.RateLimit | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.auth = auth
        if auth is not None:
            auth.bind(self)
        self.tenant = tenant  # whom the ERP counts calls against (never a secret)
        self.retry = retry or self.retry
        self.rate_limit = rate_limit or self.rate_limit
        self.sleep = sleep

    # --- hooks for each ERP -----------------------------------------------------------------

    def error_reason(self, response: requests.Response) -> str:
        """The human part of an error body; subclasses read their ERP's error shape."""
        return response.text[:300]

    def body_error(self, response: requests.Response, method: str, path: str) -> ErpError | None:
        """An error the ERP reports inside a 2xx answer (Netvisor's <Status>FAILED</Status>)."""
        return None

    def rate_limit_reset(self, response: requests.Response) -> float | None:
        """Seconds to wait on a 429: Retry-After, unless the ERP names it otherwise."""
        return retry_after(response.headers.get("Retry-After"))

    # --- the call ---------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool | None = None,
        authenticate: bool = True,
        **kwargs,
    ) -> requests.Response:
        """One call, tried again as `retry` allows. `idempotent` marks a call that may be
        repeated (default: GET, HEAD, OPTIONS)."""
        method = method.upper()
        safe = method in SAFE_METHODS if idempotent is None else idempotent
        attempt, renewed = 0, False
        while True:
            attempt += 1
            prepared = self._prepare(method, path, kwargs, authenticate)
            try:
                response = self._send(prepared, method, path, attempt, kwargs.get("timeout"))
                error = self._error(response, method, path)
            except ErpUnavailable as exc:
                error, response = exc, None
            if error is None:
                return response
            if (
                isinstance(error, ErpAuthError)
                and error.status == 401
                and authenticate
                and self.auth is not None
                and not renewed
                and self.auth.refused(prepared)
            ):
                # An expired token: a new one, once. A token made for this very call that is
                # refused means the credentials themselves are wrong.
                renewed = True
                continue
            wait = self.retry.wait(error, attempt, safe=safe)
            if wait is None:
                raise error
            logger.info(
                "%s %s %s: %s; try %d in %.1f s",
                self.erp_name,
                method,
                self.loggable(path),
                type(error).__name__,
                attempt + 1,
                wait,
            )
            self.sleep(wait)

    def _prepare(self, method, path, kwargs, authenticate) -> requests.PreparedRequest:
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        fields = {k: kwargs[k] for k in REQUEST_FIELDS if k in kwargs}
        prepared = self.session.prepare_request(requests.Request(method, url, **fields))
        if authenticate and self.auth is not None:
            prepared = self.auth(prepared)  # signed over the final URL, anew each try
        return prepared

    def _send(self, prepared, method, path, attempt, timeout) -> requests.Response:
        if self.rate_limit is not None:
            ratelimit.bucket(self.erp_name, self.tenant, self.rate_limit).acquire(self.sleep)
        settings = self.session.merge_environment_settings(prepared.url, {}, None, None, None)
        started = time.monotonic()
        # requests' own errors name the full URL, query string included (Tripletex takes its
        # tokens there), so they are not chained: a traceback in a log must show no secret.
        try:
            response = self.session.send(prepared, timeout=timeout or self.timeout, **settings)
        except requests.Timeout as exc:
            self._log(method, path, "timeout", started, attempt)
            raise ErpUnavailable(
                f"timed out calling {method} {self.loggable(path)} ({type(exc).__name__})",
                erp=self.erp_name,
            ) from None
        except requests.ConnectionError as exc:
            self._log(method, path, "no connection", started, attempt)
            raise ErpUnavailable(
                f"could not connect for {method} {self.loggable(path)} ({type(exc).__name__})",
                erp=self.erp_name,
            ) from None
        self._log(method, path, response.status_code, started, attempt)
        return response

    def _log(self, method, path, status, started, attempt) -> None:
        logger.info(
            "%s %s %s -> %s in %.0f ms%s",
            self.erp_name,
            method,
            self.loggable(path),
            status,
            (time.monotonic() - started) * 1000,
            f" (try {attempt})" if attempt > 1 else "",
        )

    def loggable(self, path: str) -> str:
        """The path without query string or secret segments (tokens go in neither log nor
        error)."""
        path = urlsplit(path).path if path.startswith("http") else path.split("?", 1)[0]
        return self.secret_path.sub("***", path)

    def _error(self, response, method, path) -> ErpError | None:
        if response.status_code >= 400:
            return self.error_for(response, method, self.loggable(path))
        return self.body_error(response, method, self.loggable(path))

    def error_for(self, response: requests.Response, method: str, path: str) -> ErpError:
        status = response.status_code
        reason = self.error_reason(response)
        what = f"{method} {path} answered {status}: {reason}"
        kw = {"erp": self.erp_name, "status": status, "detail": response.text[:2000]}
        if status in (401, 403):
            return ErpAuthError(f"access refused ({what})", **kw)
        if status == 404:
            return ErpNotFound(what, **kw)
        if status == 409:
            return ErpConflict(what, **kw)
        if status == 429:
            wait = self.rate_limit_reset(response)
            return ErpRateLimited(f"rate limited ({what})", retry_after=wait, **kw)
        if status >= 500:
            error = ErpUnavailable(what, **kw)
            error.retry_after = retry_after(response.headers.get("Retry-After"))
            return error
        return ErpRejected(what, **kw)

    # --- bodies and lists -------------------------------------------------------------------

    def decode(self, response: requests.Response) -> Any:
        return response.json()

    def json(self, method: str, path: str, **kwargs) -> Any:
        response = self.request(method, path, **kwargs)
        try:
            return self.decode(response)
        except ValueError as exc:
            raise ErpMalformedResponse(
                f"{method} {self.loggable(path)} did not answer JSON ({exc})",
                erp=self.erp_name,
                status=response.status_code,
                detail=response.text[:2000],
            ) from exc

    def iter_pages(
        self, path: str, params: dict | None, *, paging: Paging, rows: Callable[[Any], list]
    ) -> Iterator[list]:
        """Every page of a GET list, one at a time (callers may stream them)."""

        def fetch(extra: dict) -> Any:
            return self.json("GET", path, params={**(params or {}), **extra})

        return paging.pages(fetch, rows)


def seconds(value: str | None) -> float | None:
    try:
        found = float(value) if value else None
    except ValueError:
        return None
    return found if found is not None and found >= 0 else None


def retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """A Retry-After header in either form HTTP allows (RFC 9110 10.2.3): seconds, or the
    HTTP-date to wait until (a date passed already: no wait). Read as seconds only, a date was
    no answer, and a 429 was retried on a short back-off long before the ERP's reset."""
    found = seconds(value)
    if found is not None or not value:
        return found
    try:
        until = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if until.tzinfo is None:  # an HTTP-date is GMT; a naive one from a careless server too
        until = until.replace(tzinfo=dt.UTC)
    return max(until.timestamp() - now(), 0.0)
