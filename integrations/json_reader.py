"""Typed fields out of one ERP's JSON object (parsed with parse_float=Decimal), naming the object
in every complaint: a missing or mistyped field raises ErpMalformedResponse ("invoice 42:
invoiceDueDate missing"). Each JSON ERP's mapping subclasses it with its `erp` and the readers
its dates and ids need (integrations.tripletex.mapping, integrations.visma.mapping)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from integrations.errors import ErpMalformedResponse
from nordic.money import MINOR_UNITS, AmountError
from nordic.money import money as bounded_money

MISSING = object()  # what get() answers for a field absent or null and not required


class JsonReader:
    erp = ""

    def __init__(self, what: str, data: Any):
        self.what = what
        if not isinstance(data, dict):
            self.fail(f"expected an object, got {type(data).__name__}")
        self.data = data

    def fail(self, problem: str):
        raise ErpMalformedResponse(f"{self.what}: {problem}", erp=self.erp)

    def get(self, name: str, required: bool):
        value = self.data.get(name, MISSING)
        if value is MISSING or value is None:
            if required:
                self.fail(f"{name} missing")
            return MISSING
        return value

    def str(self, name: str, required: bool = False) -> str:
        value = self.get(name, required)
        if value is MISSING:
            return ""
        if not isinstance(value, str):
            self.fail(f"{name} is not a string ({value!r})")
        return value

    def bool(self, name: str) -> bool:
        value = self.get(name, False)
        if value is MISSING:
            return False
        if not isinstance(value, bool):
            self.fail(f"{name} is not a boolean ({value!r})")
        return value

    def money(self, name: str, currency: str | None = None) -> Decimal:
        """Quantised to the currency's minor unit and bounded (nordic.money), like every amount
        we store: an amount out of bounds makes the record unreadable, not the run."""
        value = self.get(name, True)
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            hint = " (parse JSON with parse_float=Decimal)" if isinstance(value, float) else ""
            self.fail(f"{name} is not a number ({value!r}){hint}")
        if isinstance(value, Decimal) and not value.is_finite():
            self.fail(f"{name} is not a finite number")
        try:
            return bounded_money(value, currency if currency in MINOR_UNITS else None)
        except AmountError as exc:
            self.fail(f"{name}: {exc}")

    def obj(self, name: str, required: bool = False) -> dict | None:
        value = self.get(name, required)
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.fail(f"{name} is not an object ({value!r})")
        return value
