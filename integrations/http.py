"""One HTTP base for all ERP clients: timeouts, logging, HTTP failures as typed errors."""

import logging
import time
from typing import Any

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

logger = logging.getLogger("integrations.http")

DEFAULT_TIMEOUT = (5, 30)  # connect, read (seconds)


class ErpHttpClient:
    erp_name = "erp"

    def __init__(
        self, base_url: str, *, timeout=DEFAULT_TIMEOUT, session: requests.Session | None = None
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    # Subclasses add auth (headers, Basic auth, signatures) here.
    def prepare(self, method: str, url: str, kwargs: dict[str, Any]) -> None:
        return None

    def error_reason(self, response: requests.Response) -> str:
        """The human part of an error body; subclasses read their ERP's error shape."""
        return response.text[:300]

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        kwargs.setdefault("timeout", self.timeout)
        self.prepare(method, url, kwargs)
        started = time.monotonic()
        # requests' own errors name the full URL, query string included (Tripletex takes its
        # tokens there), so they are not chained: a traceback in a log must show no secret.
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.Timeout as exc:
            raise ErpUnavailable(
                f"timed out calling {method} {path} ({type(exc).__name__})", erp=self.erp_name
            ) from None
        except requests.ConnectionError as exc:
            raise ErpUnavailable(
                f"could not connect for {method} {path} ({type(exc).__name__})", erp=self.erp_name
            ) from None
        logger.info(
            "%s %s %s -> %s in %.0f ms",
            self.erp_name,
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if response.status_code >= 400:
            raise self.error_for(response, method, path)
        return response

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
            retry_after = _seconds(response.headers.get("Retry-After"))
            return ErpRateLimited(f"rate limited ({what})", retry_after=retry_after, **kw)
        if status >= 500:
            return ErpUnavailable(what, **kw)
        return ErpRejected(what, **kw)

    def json(self, method: str, path: str, **kwargs) -> Any:
        response = self.request(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as exc:
            raise ErpMalformedResponse(
                f"{method} {path} did not answer JSON",
                erp=self.erp_name,
                detail=response.text[:2000],
            ) from exc


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
