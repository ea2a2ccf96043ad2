"""Money amounts: one rounding rule and one bound, the same on every database and entry point.

Every amount is quantised to its currency's minor unit with ROUND_HALF_UP (10.005 -> 10.01)
before it is stored: SQLite would otherwise keep a binary float (10.00) and PostgreSQL round
half away from zero (10.01). Every amount is bounded well below what a numeric(14, 2) column
holds, so that sums of ledger rows never overflow and a mistyped 1e12 is refused at the door
instead of breaking later reads.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Digits after the decimal point per ISO 4217 currency we collect in.
MINOR_UNITS = {"SEK": 2, "NOK": 2, "EUR": 2}
DEFAULT_MINOR_UNITS = 2
# The largest single amount accepted anywhere (a claim, a payment, a fee, a filter bound).
MAX_AMOUNT = Decimal("999999999.99")


class AmountError(ValueError):
    """An amount that cannot be used: not a number, not finite, or out of bounds."""


def minor_unit(currency: str | None = None) -> Decimal:
    """The smallest amount of the currency, e.g. Decimal("0.01") for NOK."""
    if currency is None:
        places = DEFAULT_MINOR_UNITS
    else:
        code = str(currency).strip().upper()
        if code not in MINOR_UNITS:
            raise AmountError(f"unknown currency {currency!r}: expected one of {known()}")
        places = MINOR_UNITS[code]
    return Decimal(1).scaleb(-places)


def known() -> str:
    return ", ".join(sorted(MINOR_UNITS))


def to_decimal(value) -> Decimal:
    """A Decimal from a Decimal, int or text ("1 234,50" is not guessed: text must be a plain
    number such as "1234.50"); floats are refused since they already lost the exact amount."""
    if isinstance(value, bool) or isinstance(value, float):
        raise AmountError(f"amount {value!r} must be a Decimal, an integer or text, not a float")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise AmountError(f"amount {value!r} is not a number") from None
    else:
        raise AmountError(f"amount {value!r} is not a number")
    if not number.is_finite():
        raise AmountError(f"amount {value!r} is not a finite number")
    return number


def check_bounds(amount: Decimal) -> Decimal:
    if abs(amount) > MAX_AMOUNT:
        raise AmountError(f"amount {amount} is beyond the limit of {MAX_AMOUNT} (absolute value)")
    return amount


def quantize(value, currency: str | None = None) -> Decimal:
    """Round to the currency's minor unit, half up (away from zero for negative amounts)."""
    number = to_decimal(value)
    try:
        return number.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds (e.g. 1e40)
        raise AmountError(
            f"amount {value} is beyond the limit of {MAX_AMOUNT} (absolute value)"
        ) from None


def money(value, currency: str | None = None) -> Decimal:
    """What every entry point stores: a finite number, quantised, within bounds."""
    return check_bounds(quantize(value, currency))
