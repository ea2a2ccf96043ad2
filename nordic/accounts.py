"""Payout account numbers: Bankgiro, Plusgiro, Swedish bank accounts (clearing number rules),
Norwegian accounts (kontonummer) and IBAN.

Spec: /work/shared/domain-rules.md section 5. python-stdnum covers Luhn, IBAN and Norwegian
account numbers; this module adds Bankgiro and Plusgiro lengths and the Bankgirot "Bankernas
kontonummer" clearing-number rules. Validators return the compact canonical form or raise
InvalidAccount (a ValueError) with a message naming the kind of number and the problem.
"""

from __future__ import annotations

import re
from itertools import cycle

from stdnum import exceptions as sx
from stdnum import iban as _iban
from stdnum import luhn
from stdnum.no import kontonr

from nordic.countries import country as _nordic_country
from nordic.references import check_length


class InvalidAccount(ValueError):
    """A payout account number is malformed or its check fails."""


def _check_length(kind: str, number: str, bounds: tuple[int, int]) -> None:
    check_length(kind, number, bounds, InvalidAccount)


_ACCOUNT_SEPARATORS = re.compile(r"[\s,.\-]")


def _account_digits(kind: str, value: str) -> str:
    digits = _ACCOUNT_SEPARATORS.sub("", str(value))
    if not digits.isdigit():
        raise InvalidAccount(f"{kind} {str(value).strip()}: only digits are allowed")
    return digits


def _giro(kind: str, value: str, bounds: tuple[int, int]) -> str:
    number = _account_digits(kind, value)
    _check_length(kind, number, bounds)
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
    _check_length("Norwegian account", number, (11, 11))
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


def payout_kinds(country: str) -> tuple[str, ...]:
    """The payout account kinds a creditor in the country can give (IBAN everywhere)."""
    cc = _nordic_country(country).code
    return (*(kind for kind, (home, _v) in _PAYOUT_KINDS.items() if home == cc), "iban")


def validate_payout_account(country: str, kind: str, value: str) -> str:
    """Dispatch on the payout account kind: bankgiro, plusgiro, se_account, no_account, iban."""
    cc, kind = _nordic_country(country).code, str(kind).strip().lower()
    if kind == "iban":
        return validate_iban(value, cc)
    if kind not in _PAYOUT_KINDS:
        raise ValueError(f"unknown payout account kind {kind!r}")
    home, validator = _PAYOUT_KINDS[kind]
    if cc != home:
        raise InvalidAccount(f"a {kind} account can only be used in {home}, not {cc}")
    return validator(value)


def _pairs_from_right(digits: str) -> str:
    groups = []
    while digits:
        groups.insert(0, digits[-2:])
        digits = digits[:-2]
    return " ".join(groups)


def format_payout_account(kind: str, value: str) -> str:
    """A validated payout account as people write it in its country: Bankgiro 123-4567 or
    5050-1055 (a hyphen before the last four digits), Plusgiro 28 65 43-4 (pairs from the right,
    a hyphen before the check digit), a Swedish account as clearing number, account number
    (8327-9 for a Swedbank 5-digit clearing number is not kept: the 4-digit one is), a Norwegian
    account 8601 11 17947 (4-2-5), an IBAN in groups of four. An unknown kind is returned as
    given."""
    kind, value = str(kind).strip().lower(), str(value).strip()
    if kind == "bankgiro" and value.isdigit():
        return f"{value[:-4]}-{value[-4:]}"
    if kind == "plusgiro" and value.isdigit():
        return f"{_pairs_from_right(value[:-1])}-{value[-1]}" if len(value) > 1 else value
    if kind == "se_account" and value.isdigit() and len(value) > 4:
        return f"{value[:4]}, {value[4:]}"
    if kind == "no_account" and value.isdigit() and len(value) == 11:
        return f"{value[:4]} {value[4:6]} {value[6:]}"
    if kind == "iban":
        return _iban.format(value)
    return value
