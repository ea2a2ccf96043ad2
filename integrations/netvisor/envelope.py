"""Netvisor answers every call with `Root/ResponseStatus`; a failure may come with HTTP 200:

    <Root><ResponseStatus><Status>FAILED</Status>
    <Status>AUTHENTICATION_FAILED :: Integraatiokumppania ei löydy</Status>
    </ResponseStatus></Root>

`envelope_error` turns that into the typed error the HTTP base raises (its `body_error` hook),
so no caller ever sees the word FAILED.
"""

from __future__ import annotations

from integrations.errors import (
    ErpAuthError,
    ErpConflict,
    ErpError,
    ErpMalformedResponse,
    ErpRejected,
    ErpUnavailable,
)
from integrations.netvisor import xmlcodec

ERP = "netvisor"
# Netvisor's categories (support article 77000500440) -> our error ladder.
CATEGORIES: dict[str, type[ErpError]] = {
    "AUTHENTICATION_FAILED": ErpAuthError,
    "SERVICE_ACCESS_ERROR": ErpAuthError,
    "INVALID_DATA": ErpRejected,
    "INVALID_DATA_SIZE": ErpRejected,
    "PERIOD_LOCK": ErpRejected,
    "DUPLICATE_DATA": ErpConflict,
    "REQUEST_NOT_UNIQUE": ErpConflict,
    "SYSTEM_MAINTANANCE": ErpUnavailable,  # sic
    "TECHNICAL_ERROR": ErpUnavailable,
}


def envelope_error(text: str | bytes, what: str, status: int | None = None) -> ErpError | None:
    """The error a Netvisor answer reports in its envelope, or None when its status is OK."""
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    try:
        root = xmlcodec.parse(text)
    except xmlcodec.XmlError as exc:
        return ErpMalformedResponse(f"{what} did not answer XML ({exc})", erp=ERP, detail=shown)
    return status_error(root, what, status, shown)


def category_of(root) -> str:
    """The FAILED answer's category ("" when the answer is OK or has none)."""
    statuses = [(s.text or "").strip() for s in root.findall("./ResponseStatus/Status")]
    if not statuses or statuses[0] == "OK":
        return ""
    reason = statuses[1] if len(statuses) > 1 else statuses[0]
    return reason.partition(" :: ")[0].strip()


def status_error(root, what: str, status: int | None, text: str = "") -> ErpError | None:
    statuses = [(s.text or "").strip() for s in root.findall("./ResponseStatus/Status")]
    if not statuses:
        return ErpMalformedResponse(f"{what}: answer has no ResponseStatus", erp=ERP, detail=text)
    if statuses[0] == "OK":
        return None
    reason = statuses[1] if len(statuses) > 1 else statuses[0]
    category, _, message = reason.partition(" :: ")
    kind = CATEGORIES.get(category.strip(), ErpRejected)
    error = kind(
        f"{what} failed: {category.strip()}: {message.strip() or reason}",
        erp=ERP,
        status=status,
        detail=text[:2000],
    )
    error.category = category.strip()  # Netvisor's own word, for tests and support
    return error
