"""The Finnish bank barcode's number (pankkiviivakoodi), printed as the "virtuaaliviivakoodi"
line a payer pastes into the online bank.

Spec: Finanssiala (Federation of Finnish Financial Services), "Pankkiviivakoodi-opas / Bank Bar
Code Guide", version 5.3 of 8 November 2012, corrected 21 October 2019,
https://www.finanssiala.fi/wp-content/uploads/2021/03/Pankkiviivakoodi-opas.pdf (English
"Bank Bar Code Guide", sections 9 "Symbol version 4" and 10 "Symbol version 5").

Both versions are 54 digits:

=========  =====================================  ===========================================
 digits     version 4 (national reference)          version 5 (RF creditor reference)
=========  =====================================  ===========================================
 1          "4"                                     "5"
 16         IBAN without "FI" (check digits, BBAN)  same
 6 + 2      euros, cents (zero-padded; 0 = none)    same
 3 / 2      "000" (reserved)                        RF check digits
 20 / 21    the reference, zero-padded on the left  the RF reference's body, zero-padded
 6          due date YYMMDD ("000000" = none)       same
=========  =====================================  ===========================================

Only a Finnish IBAN, an amount below one million euros, a numeric national reference of at most
20 digits and a numeric RF body of at most 21 digits fit; anything else raises BarcodeError.
The check characters and start/stop codes of the printed Code 128 symbol are not part of the
number (the guide's "Check Digit 2" belongs to the symbol).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from nordic.accounts import InvalidAccount, validate_iban
from nordic.references import InvalidReference, validate_fi_reference, validate_rf

LENGTH = 54
MAX_AMOUNT = Decimal("999999.99")


class BarcodeError(ValueError):
    """The payment cannot be put into a Finnish bank barcode as asked."""


def _amount_digits(amount: Decimal | None) -> str:
    if amount is None:
        return "0" * 8
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise BarcodeError(f"amount must be a finite Decimal, got {amount!r}")
    if amount < 0 or amount > MAX_AMOUNT:
        raise BarcodeError(f"amount {amount} does not fit: 0.00 to {MAX_AMOUNT} EUR")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise BarcodeError(f"amount {amount} has more than two decimals")
    return f"{int(cents):08d}"


def _due_digits(due: dt.date | None) -> str:
    if due is None:
        return "000000"
    if not 2000 <= due.year <= 2099:
        raise BarcodeError(f"due date {due} is outside the barcode's years 2000-2099")
    return due.strftime("%y%m%d")


def virtual_barcode(
    *, iban: str, reference: str, amount: Decimal | None, due: dt.date | None
) -> str:
    """The 54-digit number: version 4 for a Finnish national reference (viitenumero), version 5
    for an RF creditor reference. The reference's own check digits are validated."""
    try:
        account = validate_iban(iban, "FI")
    except InvalidAccount as exc:
        raise BarcodeError(f"the barcode needs a Finnish IBAN: {exc}") from None
    ref = "".join(str(reference).split()).upper()
    try:
        if ref.startswith("RF"):
            ref = validate_rf(ref)
            body = ref[4:]
            if not body.isdigit() or len(body) > 21:
                raise BarcodeError(f"RF reference {ref}: the barcode holds 21 digits at most")
            middle = "5", ref[2:4] + body.zfill(21)
        else:
            ref = validate_fi_reference(ref)
            middle = "4", "000" + ref.zfill(20)
    except InvalidReference as exc:
        raise BarcodeError(str(exc)) from None
    version, tail = middle
    number = version + account[2:] + _amount_digits(amount) + tail + _due_digits(due)
    assert len(number) == LENGTH, number
    return number


def parse_virtual_barcode(number: str) -> dict:
    """Read a 54-digit number back: version, IBAN, amount (None if 0), reference, due date."""
    number = "".join(number.split())
    if len(number) != LENGTH or not number.isascii() or not number.isdigit():
        raise BarcodeError(f"a virtual barcode is {LENGTH} digits, got {number!r}")
    version = number[0]
    iban = "FI" + number[1:17]
    cents = int(number[17:25])
    if version == "4":
        reference = number[28:48].lstrip("0")
    elif version == "5":
        reference = "RF" + number[25:27] + number[27:48].lstrip("0")
    else:
        raise BarcodeError(f"unknown barcode version {version!r} (4 and 5 are in use)")
    yy, mm, dd = (int(number[i : i + 2]) for i in (48, 50, 52))
    return {
        "version": int(version),
        "iban": iban,
        "amount": (Decimal(cents) / 100).quantize(Decimal("0.01")) if cents else None,
        "reference": reference,
        "due": dt.date(2000 + yy, mm, dd) if mm else None,
    }
