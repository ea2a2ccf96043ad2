"""Payment references per case (SE OCR, NO KID, FI viitenumero, ISO 11649 RF).

Spec: /work/shared/domain-rules.md section 5. python-stdnum covers Luhn, ISO 11649 (RF) and
ISO 7064 mod 97-10; this module adds only what it lacks: the Swedish OCR length digit, the KID
MOD11 variant and the Finnish 7-3-1 reference. Account numbers are in nordic.accounts.

Validators return the compact canonical form or raise InvalidReference (a ValueError) with a
message naming the kind of number and the problem.
"""

from __future__ import annotations

import unicodedata
from itertools import cycle

from stdnum import exceptions as sx
from stdnum import iso11649, luhn
from stdnum.iso7064 import mod_97_10

from nordic.countries import country as _nordic_country


class InvalidReference(ValueError):
    """A payment reference (OCR, KID, viitenumero, RF) is malformed or its check fails."""


# Lengths incl. check digit(s). OCR max 25 is common practice (domain-rules 8.10, unconfirmed).
OCR_LENGTH = (2, 25)
KID_LENGTH = (4, 25)  # MPS: min 3 digits + check
FI_LENGTH = (4, 20)  # 3 + check .. 19 + check
RF_MAX_BODY = 21

_LABELS = {"SE": "OCR", "NO": "KID", "FI": "Viitenumero"}


def _country(country: str) -> str:
    return _nordic_country(country).code


def _compact(value: str) -> str:
    return "".join(str(value).split())


def _ascii_digits(value: str) -> bool:
    # str.isdigit() is true for Arabic-Indic or fullwidth digits too, which the checks cannot read.
    return value.isascii() and value.isdigit()


def normalize_reference(value: str) -> str:
    """A reference as a debtor typed it or a bank passed it on, in the form we store: fullwidth
    forms folded (NFKC), every Unicode decimal digit as its ASCII digit, no whitespace, upper
    case. It is not validated here."""
    text = unicodedata.normalize("NFKC", str(value))
    chars = []
    for ch in text:
        if ch.isspace():
            continue
        digit = unicodedata.decimal(ch, None)
        chars.append(str(digit) if digit is not None else ch)
    return "".join(chars).upper()


def _base_digits(base: str, kind: str) -> str:
    digits = _compact(base)
    if not _ascii_digits(digits):
        raise ValueError(f"{kind} base must be digits, got {base!r}")
    return digits


def check_length(kind: str, number: str, bounds: tuple[int, int], exc: type = InvalidReference):
    low, high = bounds
    if not low <= len(number) <= high:
        raise exc(f"{kind} {number}: must be {low}-{high} digits long, is {len(number)}")


# --- Sweden: OCR-referens (Bankgirot "OCR-referenskontroll") ---------------------------------


def se_ocr(base: str, *, length_digit: bool = True) -> str:
    """OCR reference: base [+ length digit] + Luhn check digit over everything before it."""
    body = _base_digits(base, "OCR")
    if length_digit:
        body += str((len(body) + 2) % 10)
    ref = body + luhn.calc_check_digit(body)
    check_length("OCR", ref, OCR_LENGTH, ValueError)
    return ref


def validate_se_ocr(ref: str, *, length_digit: bool | None = None) -> str:
    """Validate an OCR reference; length_digit=None accepts either form (Luhn only)."""
    number = _compact(ref)
    if not _ascii_digits(number):
        raise InvalidReference(f"OCR {number}: only digits are allowed")
    check_length("OCR", number, (3, OCR_LENGTH[1]) if length_digit else OCR_LENGTH)
    expected = luhn.calc_check_digit(number[:-1])
    if number[-1] != expected:
        raise InvalidReference(f"OCR {number}: check digit should be {expected}")
    if length_digit and number[-2] != str(len(number) % 10):
        raise InvalidReference(
            f"OCR {number}: length digit should be {len(number) % 10} "
            f"(the reference is {len(number)} digits long)"
        )
    return number


# --- Norway: KID (Mastercard Payment Services OCR giro spec) ---------------------------------


def _kid_mod11(body: str) -> str:
    total = sum(int(d) * w for d, w in zip(reversed(body), cycle(range(2, 8)), strict=False))
    remainder = total % 11
    if remainder == 0:
        return "0"
    return "-" if remainder == 1 else str(11 - remainder)


_KID_CHECK = {"MOD10": luhn.calc_check_digit, "MOD11": _kid_mod11}


def _kid_algorithm(algorithm: str) -> str:
    name = str(algorithm).strip().upper()
    if name not in _KID_CHECK:
        raise ValueError(f"unknown KID algorithm {algorithm!r}: expected MOD10 or MOD11")
    return name


def no_kid(base: str, *, algorithm: str = "MOD10") -> str:
    """KID: base + MOD10 (Luhn) or MOD11 check. Short bases are zero-padded to 3 digits
    (leading zeros do not change either check digit; fixed-length KIDs are zero-padded)."""
    body = _base_digits(base, "KID").rjust(KID_LENGTH[0] - 1, "0")
    ref = body + _KID_CHECK[_kid_algorithm(algorithm)](body)
    check_length("KID", ref, KID_LENGTH, ValueError)
    return ref


def validate_kid(ref: str, *, algorithm: str | None = None) -> str:
    """Validate a KID; algorithm=None accepts MOD10 or MOD11 (the bank agreement decides)."""
    number = _compact(ref)
    body, check = number[:-1], number[-1:]
    if not _ascii_digits(body) or not (_ascii_digits(check) or check == "-"):
        raise InvalidReference(f"KID {number}: only digits (and '-' as MOD11 check) are allowed")
    check_length("KID", number, KID_LENGTH)
    names = [_kid_algorithm(algorithm)] if algorithm else list(_KID_CHECK)
    expected = {name: _KID_CHECK[name](body) for name in names}
    if check in expected.values():
        return number
    wanted = " or ".join(f"{digit} ({name})" for name, digit in expected.items())
    raise InvalidReference(f"KID {number}: check digit should be {wanted}")


# --- Finland: viitenumero (kotimainen viite) -------------------------------------------------


def _fi_check(body: str) -> str:
    total = sum(int(d) * w for d, w in zip(reversed(body), cycle((7, 3, 1)), strict=False))
    return str(-total % 10)


def fi_reference(base: str) -> str:
    """Finnish reference: base + 7-3-1 check digit. Leading zeros are never printed
    ("etunollia ei tulosteta"), so they are dropped; the base needs 3..19 significant digits."""
    body = _base_digits(base, "Viitenumero").lstrip("0")
    if not FI_LENGTH[0] - 1 <= len(body) <= FI_LENGTH[1] - 1:
        raise ValueError(
            f"Viitenumero base {base!r}: needs 3-19 digits without leading zeros, has {len(body)}"
        )
    return body + _fi_check(body)


def validate_fi_reference(ref: str) -> str:
    """Validate a Finnish reference; returns it without spaces and leading zeros (bank
    files carry it zero-padded to 20 digits)."""
    number = _compact(ref)
    if not _ascii_digits(number):
        raise InvalidReference(f"Viitenumero {ref.strip()}: only digits are allowed")
    number = number.lstrip("0")
    check_length("Viitenumero", number, FI_LENGTH)
    expected = _fi_check(number[:-1])
    if number[-1] != expected:
        raise InvalidReference(f"Viitenumero {number}: check digit should be {expected}")
    return number


def format_fi_reference(ref: str) -> str:
    """Print form: groups of five digits counted from the right, e.g. '12 34561'."""
    number = _compact(ref).lstrip("0")
    head = len(number) % 5
    groups = [number[:head]] if head else []
    groups += [number[i : i + 5] for i in range(head, len(number), 5)]
    return " ".join(groups)


# --- ISO 11649 RF creditor reference ---------------------------------------------------------


def rf_reference(base: str) -> str:
    """RF creditor reference for an alphanumeric base (e.g. a Finnish reference incl. its
    check digit): 'RF' + ISO 7064 mod 97-10 check digits + base."""
    body = _compact(base).upper()
    if not body.isalnum() or not body.isascii() or len(body) > RF_MAX_BODY:
        raise ValueError(f"RF base {base!r}: needs 1-{RF_MAX_BODY} letters or digits")
    return "RF" + mod_97_10.calc_check_digits(body + "RF") + body


def validate_rf(ref: str) -> str:
    """Validate an RF creditor reference; returns the compact upper-case form."""
    number = iso11649.compact(ref)
    body = number[4:]
    if not number.startswith("RF") or not (body.isalnum() and body.isascii()):
        raise InvalidReference(f"RF reference {number}: must be 'RF', 2 digits and letters/digits")
    try:
        return iso11649.validate(number)
    except sx.InvalidLength:
        raise InvalidReference(
            f"RF reference {number}: must be 5-25 characters, is {len(number)}"
        ) from None
    except sx.ValidationError:
        expected = mod_97_10.calc_check_digits(body + "RF")
        raise InvalidReference(
            f"RF reference {number}: check digits should be {expected}"
        ) from None


def format_rf(ref: str) -> str:
    """Print form: groups of four, e.g. 'RF18 5390 0754 7034'."""
    return iso11649.format(ref)


# --- Dispatchers -----------------------------------------------------------------------------


def reference_kind_label(country: str) -> str:
    return _LABELS[_country(country)]


def reference_for_case(country: str, base: str, *, kid_algorithm: str = "MOD10") -> str:
    """SE -> OCR with length digit, NO -> KID, FI -> Finnish reference."""
    cc = _country(country)
    if cc == "SE":
        return se_ocr(base, length_digit=True)
    if cc == "NO":
        return no_kid(base, algorithm=kid_algorithm)
    return fi_reference(base)


def validate_reference(country: str, ref: str, *, kid_algorithm: str | None = None) -> str:
    """Validate an incoming reference for the country; an RF reference (camt.054 with
    Issr=ISO) is accepted in every country. A Norwegian KID is checked with `kid_algorithm`
    (the creditor's bank agreement) when given, else with either."""
    cc = _country(country)
    if _compact(ref).upper().startswith("RF"):
        return validate_rf(ref)
    if cc == "SE":
        return validate_se_ocr(ref)
    if cc == "NO":
        return validate_kid(ref, algorithm=kid_algorithm)
    return validate_fi_reference(ref)
