"""Netvisor answers every call with `Root/ResponseStatus`; a failure may come with HTTP 200:

    <Root><ResponseStatus><Status>FAILED</Status>
    <Status>AUTHENTICATION_FAILED :: Integraatiokumppania ei löydy</Status>
    </ResponseStatus></Root>

`envelope_error` turns that into the typed error the HTTP base raises (its `body_error` hook),
so no caller ever sees the word FAILED.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from integrations.errors import (
    ErpAuthError,
    ErpConflict,
    ErpError,
    ErpMalformedResponse,
    ErpRejected,
    ErpUnavailable,
)

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


def envelope_error(text: str, what: str, status: int | None = None) -> ErpError | None:
    """The error a Netvisor answer reports in its envelope, or None when its status is OK."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        return ErpMalformedResponse(f"{what} did not answer XML ({exc})", erp=ERP, detail=text)
    statuses = [(s.text or "").strip() for s in root.findall("./ResponseStatus/Status")]
    if not statuses:
        return ErpMalformedResponse(f"{what}: answer has no ResponseStatus", erp=ERP, detail=text)
    if statuses[0] == "OK":
        return None
    reason = statuses[1] if len(statuses) > 1 else statuses[0]
    category, _, message = reason.partition(" :: ")
    kind = CATEGORIES.get(category.strip(), ErpRejected)
    return kind(
        f"{what} failed: {category.strip()}: {message.strip() or reason}",
        erp=ERP,
        status=status,
        detail=text[:2000],
    )
