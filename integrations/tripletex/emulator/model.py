"""Shared pieces of the Tripletex emulator's state: references, API failures, money, constants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")
VAT = Decimal("1.25")
# Fixed NOK rates per unit of currency: the emulator's stand-in for Norges Bank.
RATES = {"NOK": Decimal(1), "EUR": Decimal("11.50"), "SEK": Decimal("1.02"), "DKK": Decimal("1.54")}
# Country ids: 161 = Norway is from Tripletex samples; the others are the emulator's own.
COUNTRIES = {
    161: ("NO", "NOR", "578", "Norge"),
    201: ("SE", "SWE", "752", "Sverige"),
    58: ("DK", "DNK", "208", "Danmark"),
    71: ("FI", "FIN", "246", "Finland"),
}
ACCOUNTS = [  # number, name, type, isInvoiceAccount/isBankAccount
    (1500, "Kundefordringer", "ASSETS", "invoice"),
    (1550, "Kundefordringer til inkasso", "ASSETS", ""),
    (1920, "Bankinnskudd", "ASSETS", "bank"),
    (2700, "Utgående merverdiavgift, høy sats", "LIABILITIES", ""),
    (3000, "Salgsinntekt, avgiftspliktig", "OPERATING_REVENUES", ""),
    (3900, "Annen driftsrelatert inntekt", "OPERATING_REVENUES", ""),
    (7770, "Bank- og kortgebyrer", "OPERATING_EXPENSES", ""),
    (7830, "Tap på fordringer", "OPERATING_EXPENSES", ""),
    (8050, "Annen renteinntekt", "INVESTMENT_INCOME", ""),
    (8150, "Annen rentekostnad", "COST_OF_CAPITAL", ""),
    # Seed 001 "Konto MVA-kostnad": an interim account for the VAT the collector invoices.
    (2711, "Inngående merverdiavgift, mellomværende inkasso", "LIABILITIES", ""),
]
ID_BASES = {
    "company": 1001,
    "customer": 10001,
    "invoice": 2000001,
    "voucher": 6000001,
    "posting": 38000001,
    "account": 400001,
    "voucherStatus": 900001,
    "address": 70001,
    "customerCategory": 5001,
    "employee": 30001,
    "employeeToken": 8001,
    "consumerToken": 81,
    "sessionToken": 1,
    "paymentType": 9001,
}


@dataclass(frozen=True)
class Ref:
    kind: str
    id: int


class ApiFailure(Exception):
    """Becomes an ApiError answer."""

    def __init__(self, status: int, code: int, message: str, developer: str = "", fields=()):
        super().__init__(message)
        self.status, self.code, self.message, self.developer = status, code, message, developer
        self.validation = [{"field": f, "message": m} for f, m in fields]


def invalid(*fields: tuple[str, str]) -> ApiFailure:
    return ApiFailure(422, 15000, "Validering feilet.", "VALIDATION_ERROR", fields)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def date_param(value, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise invalid((field, "Ugyldig dato.")) from None
