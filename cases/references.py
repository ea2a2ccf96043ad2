"""Payment references per case and payout account numbers (SE / NO / FI).

Spec: /work/shared/domain-rules.md section 5. python-stdnum covers Luhn, IBAN, ISO 11649 (RF),
ISO 7064 mod 97-10 and Norwegian account numbers; this module adds only what it lacks: the
Swedish OCR length digit, the KID MOD11 variant, the Finnish 7-3-1 reference, Bankgiro and
Plusgiro lengths and the Bankgirot "Bankernas kontonummer" clearing-number rules.

Validators return the compact canonical form or raise InvalidReference / InvalidAccount
(both ValueError) with a message naming the kind of number and the problem.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import cycle

from stdnum import exceptions as sx
from stdnum import iban as _iban
from stdnum import iso11649, luhn
from stdnum.iso7064 import mod_97_10
from stdnum.no import kontonr


class InvalidReference(ValueError):
    """A payment reference (OCR, KID, viitenumero, RF) is malformed or its check fails."""


class InvalidAccount(ValueError):
    """A payout account number is malformed or its check fails."""


# Lengths incl. check digit(s). OCR max 25 is common practice (domain-rules 8.10, unconfirmed).
OCR_LENGTH = (2, 25)
KID_LENGTH = (4, 25)  # MPS: min 3 digits + check
FI_LENGTH = (4, 20)  # 3 + check .. 19 + check
RF_MAX_BODY = 21

_LABELS = {"SE": "OCR", "NO": "KID", "FI": "Viitenumero"}


def _country(country: str) -> str:
    cc = str(country).strip().upper()
    if cc not in _LABELS:
        raise ValueError(f"unsupported country {country!r}: expected SE, NO or FI")
    return cc


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


def _check_length(kind: str, number: str, bounds: tuple[int, int], exc: type = InvalidReference):
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
    _check_length("OCR", ref, OCR_LENGTH, ValueError)
    return ref


def validate_se_ocr(ref: str, *, length_digit: bool | None = None) -> str:
    """Validate an OCR reference; length_digit=None accepts either form (Luhn only)."""
    number = _compact(ref)
    if not _ascii_digits(number):
        raise InvalidReference(f"OCR {number}: only digits are allowed")
    _check_length("OCR", number, (3, OCR_LENGTH[1]) if length_digit else OCR_LENGTH)
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
    _check_length("KID", ref, KID_LENGTH, ValueError)
    return ref


def validate_kid(ref: str, *, algorithm: str | None = None) -> str:
    """Validate a KID; algorithm=None accepts MOD10 or MOD11 (the bank agreement decides)."""
    number = _compact(ref)
    body, check = number[:-1], number[-1:]
    if not _ascii_digits(body) or not (_ascii_digits(check) or check == "-"):
        raise InvalidReference(f"KID {number}: only digits (and '-' as MOD11 check) are allowed")
    _check_length("KID", number, KID_LENGTH)
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
    _check_length("Viitenumero", number, FI_LENGTH)
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


# --- Account numbers -------------------------------------------------------------------------

_ACCOUNT_SEPARATORS = re.compile(r"[\s,.\-]")


def _account_digits(kind: str, value: str) -> str:
    digits = _ACCOUNT_SEPARATORS.sub("", str(value))
    if not digits.isdigit():
        raise InvalidAccount(f"{kind} {str(value).strip()}: only digits are allowed")
    return digits


def _giro(kind: str, value: str, bounds: tuple[int, int]) -> str:
    number = _account_digits(kind, value)
    _check_length(kind, number, bounds, InvalidAccount)
    expected = luhn.calc_check_digit(number[:-1])
    if number[-1] != expected:
        raise InvalidAccount(f"{kind} {number}: check digit should be {expected}")
    return number


def validate_bankgiro(value: str) -> str:
    """Bankgiro number: 7-8 digits incl. a Luhn check digit."""
    return _giro("Bankgiro", value, (7, 8))


def validate_plusgiro(value: str) -> str:
    """Plusgiro number: 2-8 digits incl. a Luhn check digit (length range unconfirmed)."""
    return _giro("Plusgiro", value, (2, 8))


def validate_no_account(value: str) -> str:
    """Norwegian bank account (kontonummer): 11 digits, MOD11 (stdnum.no.kontonr)."""
    number = kontonr.compact(value)
    if not number.isdigit():
        raise InvalidAccount(f"Norwegian account {number}: only digits are allowed")
    # stdnum also accepts 7-digit legacy postgiro numbers; payouts need the 11-digit form.
    _check_length("Norwegian account", number, (11, 11), InvalidAccount)
    if not kontonr.is_valid(number):
        raise InvalidAccount(f"Norwegian account {number}: check digit is wrong (MOD11)")
    return number


_IBAN_PROBLEMS = {
    sx.InvalidChecksum: "check digits are wrong",
    sx.InvalidLength: "wrong length for its country",
    sx.InvalidFormat: "wrong format for its country",
    sx.InvalidComponent: "unknown country code",
}


def validate_iban(value: str, country: str | None = None) -> str:
    """IBAN (stdnum.iban, incl. national checks); the country prefix must match if given."""
    number = _iban.compact(value)
    try:
        _iban.validate(number)
    except sx.ValidationError as exc:
        problem = next((t for c, t in _IBAN_PROBLEMS.items() if isinstance(exc, c)), exc.message)
        raise InvalidAccount(f"IBAN {_iban.format(number)}: {problem}") from None
    if country and number[:2] != country.strip().upper():
        raise InvalidAccount(
            f"IBAN {_iban.format(number)}: expected a {country.strip().upper()} IBAN, "
            f"got {number[:2]}"
        )
    return number


# Bankgirot "Bankernas kontonummer" (2017-03-07) as tabulated in swantzter/kontonummer
# (src/banks.ts): type, comment, bank, clearing ranges. Type 1: 4 + 7 digits, mod 11 over
# clearing[1:] + account (comment 1) or clearing + account (comment 2). Type 2: Luhn over the
# zero-padded 10-digit account (comments 1, 3), Handelsbanken (comment 2) mod 11 over 9 digits.
# Unknown clearing numbers are rejected rather than guessed.
_CLEARING_TABLE = """
1 1 Nordea                  1100-1199 1400-2099 3000-3299 3301-3399 3410-3781 3783-3999
1 2 Nordea                  4000-4999
2 1 Nordea (personkonto)    3300-3300 3782-3782
2 3 Nordea (Plusgirot)      9500-9549 9960-9969
1 1 Danske Bank             1200-1399 2400-2499
2 1 Danske Bank             9180-9189
1 1 SEB                     5000-5999 9120-9124 9130-9149
2 2 Handelsbanken           6000-6999
1 1 Swedbank                7000-7999
2 3 Swedbank                8000-8999
2 1 Swedbank                9300-9349
1 2 Ålandsbanken            2300-2399
1 1 Länsförsäkringar Bank   3400-3409 9060-9069
1 2 Länsförsäkringar Bank   9020-9029
1 2 Citibank                9040-9049
1 2 Nordnet Bank            9100-9109
1 2 Skandiabanken           9150-9169
1 1 IKANO Bank              9170-9179
1 2 DNB Bank                9190-9199 9260-9269
1 1 Marginalen Bank         9230-9239
1 1 SBAB                    9250-9259
1 1 ICA Banken              9270-9279
1 1 Resurs Bank             9280-9289
1 2 Landshypotek            9390-9399
1 1 Forex Bank              9400-9449
1 1 Santander Consumer Bank 9460-9469
1 2 BNP Paribas             9470-9479
1 2 Avanza Bank             9550-9569
2 1 Sparbanken Syd          9570-9579
1 2 Erik Penser             9590-9599
1 1 Lån & Spar Bank         9630-9639
1 2 Nordax Bank             9640-9649
1 2 MedMera Bank            9650-9659
1 2 Svea Bank               9660-9669
1 2 JAK Medlemsbank         9670-9679
1 1 BlueStep Finans         9680-9689
1 2 Ekobanken               9700-9709
1 2 Klarna Bank             9780-9789
1 2 Riksgälden              9880-9889
2 1 Riksgälden              9890-9899
"""
_CLEARING = [  # (first, last, type, comment, bank)
    (int(rng[:4]), int(rng[5:]), int(line[0]), int(line[2]), line[4:28].strip())
    for line in _CLEARING_TABLE.strip().splitlines()
    for rng in line[28:].split()
]

# "8424-4, 983 189 224-6" / "6789 123456789": clearing, optional Swedbank 5th digit, account.
_SE_WRITTEN = re.compile(r"^\s*(\d{4})(?:-(\d))?\s*[,\s]\s*(\d[\d\s.\-]*)$")


def _mod11_bank(digits: str) -> bool:
    # Weights ..., 3, 2, 1 from the right (10 = -1 mod 11 makes 1, 10, 9, ... equivalent).
    weights = cycle(range(1, 11))
    return sum(int(d) * w for d, w in zip(reversed(digits), weights, strict=False)) % 11 == 0


def validate_se_bank_account(clearing_and_account: str) -> str:
    """Swedish bank account: clearing number + account number, checked per the clearing range.
    Returns the 4-digit clearing number + the zero-padded account number (Swedbank's 5th
    clearing digit is checked and dropped: it is the Luhn check digit of the first four)."""
    raw = str(clearing_and_account).strip()
    written = _SE_WRITTEN.match(raw)
    if written:
        clearing, fifth = written.group(1), written.group(2) or ""
        account = _account_digits("Swedish account", written.group(3))
    else:
        digits = _account_digits("Swedish account", raw)
        fifth_given = digits.startswith("8") and len(digits) == 15
        clearing, fifth = digits[:4], digits[4] if fifth_given else ""
        account = digits[5:] if fifth_given else digits[4:]
    label = f"Swedish account {clearing}{'-' + fifth if fifth else ''} {account}"
    if len(clearing) < 4 or not account:
        raise InvalidAccount(f"{label}: needs a 4-digit clearing number and an account number")
    rows = [row for row in _CLEARING if row[0] <= int(clearing) <= row[1]]
    if not rows:
        raise InvalidAccount(f"{label}: unknown clearing number {clearing}")
    _, _, kind, comment, bank = rows[0]
    swedbank8 = clearing.startswith("8")
    if fifth and not swedbank8:
        raise InvalidAccount(f"{label}: only Swedbank 8xxx clearing numbers have a 5th digit")
    if fifth and fifth != luhn.calc_check_digit(clearing):
        expected = luhn.calc_check_digit(clearing)
        raise InvalidAccount(
            f"{label}: clearing check digit should be {expected} ({clearing}-{expected})"
        )
    hint = " (write a 5-digit clearing number as '8xxx-x, account')" if swedbank8 else ""
    size = 7 if kind == 1 else 9 if comment == 2 else 10
    if len(account) > size or (kind == 1 and len(account) != size) or len(account) < 2:
        need = "exactly 7" if kind == 1 else f"2-{size}"
        raise InvalidAccount(f"{label}: {bank} account numbers have {need} digits{hint}")
    padded = account.rjust(size, "0")
    if kind == 1:
        ok = _mod11_bank((clearing if comment == 2 else clearing[1:]) + padded)
    elif comment == 2:
        ok = _mod11_bank(padded)
    else:
        ok = luhn.is_valid(padded)
    if not ok:
        method = "mod 11" if kind == 1 or comment == 2 else "mod 10"
        raise InvalidAccount(f"{label}: {bank} check digit is wrong ({method}){hint}")
    return clearing + padded


_PAYOUT_KINDS = {
    "bankgiro": ("SE", validate_bankgiro),
    "plusgiro": ("SE", validate_plusgiro),
    "se_account": ("SE", validate_se_bank_account),
    "no_account": ("NO", validate_no_account),
}


def validate_payout_account(country: str, kind: str, value: str) -> str:
    """Dispatch on the payout account kind: bankgiro, plusgiro, se_account, no_account, iban."""
    cc, kind = _country(country), str(kind).strip().lower()
    if kind == "iban":
        return validate_iban(value, cc)
    if kind not in _PAYOUT_KINDS:
        raise ValueError(f"unknown payout account kind {kind!r}")
    home, validator = _PAYOUT_KINDS[kind]
    if cc != home:
        raise InvalidAccount(f"a {kind} account can only be used in {home}, not {cc}")
    return validator(value)
