"""What the Visma.net emulator's records and answers are made of: money to the cent, the
timestamps it writes, the value of an update DTO's field, and Refused (an error answer)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

CENT = Decimal("0.01")


class Refused(Exception):
    """Becomes an error answer in Visma.net's shape."""

    def __init__(self, status: int, message: str, kind: str = "", fault_code: str = ""):
        super().__init__(message)
        self.status, self.message, self.kind, self.fault_code = status, message, kind, fault_code


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def value(wrapped):
    """The value of an update DTO's {"value": ...} field (a bare value is taken as it is)."""
    return wrapped.get("value") if isinstance(wrapped, dict) else wrapped


def now_text() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
