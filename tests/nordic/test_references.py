"""Payment references and account numbers: domain-rules.md section 5 (test-vector table)."""

import re

import pytest

from nordic.accounts import (
    InvalidAccount,
    validate_bankgiro,
    validate_iban,
    validate_no_account,
    validate_payout_account,
    validate_plusgiro,
    validate_se_bank_account,
)
from nordic.references import (
    InvalidReference,
    fi_reference,
    format_fi_reference,
    format_rf,
    no_kid,
    reference_for_case,
    reference_kind_label,
    rf_reference,
    se_ocr,
    validate_fi_reference,
    validate_kid,
    validate_reference,
    validate_rf,
    validate_se_ocr,
)

# --- Section 5 test-vector table, row by row ---------------------------------------------

VALID = [
    ("se-ocr-check-only", validate_se_ocr, "1234567897", {"length_digit": False}),
    ("se-ocr-check-only-any", validate_se_ocr, "1234567897", {}),
    ("se-ocr-length-7", validate_se_ocr, "1234574", {"length_digit": True}),
    ("se-ocr-length-12", validate_se_ocr, "123456789023", {"length_digit": True}),
    ("bankgiro-bgc-own", validate_bankgiro, "160-9908", {}),
    ("bankgiro-8-digits", validate_bankgiro, "5050-1055", {}),
    ("plusgiro", validate_plusgiro, "123456-6", {}),
    ("se-account-handelsbanken", validate_se_bank_account, "6789 123456789", {}),
    ("se-account-klarna", validate_se_bank_account, "9789 1111113", {}),
    ("se-account-swedbank-5digit", validate_se_bank_account, "8424-4, 983 189 224-6", {}),
    ("se-account-nordea-personkonto", validate_se_bank_account, "3300 000620-5124", {}),
    ("kid-mod10-mps", validate_kid, "123456782", {"algorithm": "MOD10"}),
    ("kid-mod11-mps", validate_kid, "123456785", {"algorithm": "MOD11"}),
    ("kid-mod11-dash", validate_kid, "1009-", {"algorithm": "MOD11"}),
    ("kid-mod10-any", validate_kid, "123456782", {}),
    ("kid-mod11-any", validate_kid, "123456785", {}),
    ("kid-dash-any", validate_kid, "1009-", {}),
    ("no-account-stdnum-doc", validate_no_account, "8601 11 17947", {}),
    ("no-account", validate_no_account, "12345678903", {}),
    ("fi-spec-example", validate_fi_reference, "12 34561", {}),
    ("fi-shortest", validate_fi_reference, "1009", {}),
    ("rf-stdnum-doc", validate_rf, "RF18 5390 0754 7034", {}),
    ("rf-of-fi-ref", validate_rf, "RF34 1234561", {}),
    ("iban-no", validate_iban, "NO93 8601 1117 947", {}),
    ("iban-fi", validate_iban, "FI21 1234 5600 0007 85", {}),
    ("iban-se", validate_iban, "SE45 5000 0000 0583 9825 7466", {}),
]

# Compact forms that are not simply the value without spaces and hyphens.
CANONICAL = {
    "8424-4, 983 189 224-6": "84249831892246",  # Swedbank 5th clearing digit dropped
    "1009-": "1009-",  # MOD11 dash check
}

INVALID = [
    ("se-ocr-check-only", validate_se_ocr, "1234567898", {}),
    ("se-ocr-length", validate_se_ocr, "1234584", {"length_digit": True}),
    ("se-ocr-length-any", validate_se_ocr, "1234584", {}),
    ("bankgiro", validate_bankgiro, "160-9907", {}),
    ("plusgiro", validate_plusgiro, "123456-7", {}),
    ("se-account-bad-check", validate_se_bank_account, "6789123456788", {}),
    ("se-account-bad-clearing-check", validate_se_bank_account, "8424-1,983 189 224-6", {}),
    ("se-account-too-short", validate_se_bank_account, "123456789", {}),
    ("kid", validate_kid, "123456783", {}),
    ("no-account", validate_no_account, "8601 11 17949", {}),
    ("fi", validate_fi_reference, "1234562", {}),
    ("rf", validate_rf, "RF17 5390 0754 7034", {}),
    ("iban-no", validate_iban, "NO92 8601 1117 947", {}),
    ("iban-fi", validate_iban, "FI21 1234 5600 0007 86", {}),
]


@pytest.mark.parametrize("func,value,kwargs", [v[1:] for v in VALID], ids=[v[0] for v in VALID])
def test_section5_valid_vectors(func, value, kwargs):
    # domain-rules.md section 5, "Valid" column; validators return the compact form.
    assert func(value, **kwargs) == CANONICAL.get(value, re.sub(r"[\s-]", "", value))


ACCOUNT_VALIDATORS = {
    "validate_bankgiro",
    "validate_plusgiro",
    "validate_se_bank_account",
    "validate_no_account",
    "validate_iban",
}


@pytest.mark.parametrize("func,value,kwargs", [v[1:] for v in INVALID], ids=[v[0] for v in INVALID])
def test_section5_invalid_vectors(func, value, kwargs):
    # domain-rules.md section 5, "Invalid" column.
    expected = InvalidAccount if func.__name__ in ACCOUNT_VALIDATORS else InvalidReference
    with pytest.raises(expected):
        func(value, **kwargs)


# --- Generators reproduce the spec examples ----------------------------------------------


def test_se_ocr_generator_matches_section5():
    # Luhn over base (+ length digit = total length mod 10, before the check digit).
    assert se_ocr("123456789", length_digit=False) == "1234567897"
    assert se_ocr("12345") == "1234574"
    assert se_ocr("1234567890") == "123456789023"


def test_kid_generator_matches_mps_examples():
    # MPS examples quoted in section 5; MOD11 check 10 -> "-".
    assert no_kid("12345678") == "123456782"
    assert no_kid("12345678", algorithm="MOD11") == "123456785"
    assert no_kid("1009", algorithm="mod11") == "1009-"


def test_kid_mod11_remainder_zero_gives_zero():
    # MOD11: weighted sum divisible by 11 -> check digit "0" (section 5).
    # 109: 9*2 + 0*3 + 1*4 = 22 = 2 * 11.
    assert no_kid("109", algorithm="MOD11") == "1090"
    assert validate_kid("1090", algorithm="MOD11") == "1090"


def test_short_kid_base_is_zero_padded_to_minimum_length():
    # KID is 4-25 digits incl. check; leading zeros do not change MOD10/MOD11.
    assert no_kid("1") == "0018"
    assert no_kid("12") == "0125"
    assert validate_kid("0018") == "0018"


def test_fi_generator_and_print_form():
    # 7-3-1 weights; printed in groups of five from the right (section 5, FI-S4).
    assert fi_reference("123456") == "1234561"
    assert fi_reference("100") == "1009"
    assert format_fi_reference("1234561") == "12 34561"
    assert format_fi_reference("123456789012345678") == "123 45678 90123 45678"
    assert format_fi_reference("00001009") == "1009"


def test_fi_generator_rejects_too_short_or_long_base():
    # Min 3 + check, max 19 + check; leading zeros are never printed.
    for base in ("7", "42", "007"):
        with pytest.raises(ValueError, match="3-19 digits"):
            fi_reference(base)
    with pytest.raises(ValueError):
        fi_reference("1" * 20)


def test_fi_validator_accepts_zero_padded_bank_form():
    # Bank files carry the reference zero-padded to 20 digits; canonical has no leading zeros.
    assert validate_fi_reference("00000000000001234561") == "1234561"


def test_rf_from_finnish_reference_and_print_form():
    # ISO 11649 via stdnum: RF34 1234561 is the RF form of Finnish ref 1234561.
    assert rf_reference(fi_reference("123456")) == "RF341234561"
    assert rf_reference("5390 0754 7034") == "RF18539007547034"
    assert format_rf("RF18539007547034") == "RF18 5390 0754 7034"
    assert rf_reference("abc123") == validate_rf(rf_reference("ABC123"))


def test_generators_reject_non_digit_or_too_long_bases():
    with pytest.raises(ValueError):
        se_ocr("12a")
    with pytest.raises(ValueError):
        se_ocr("1" * 24)  # 24 + length + check > 25
    with pytest.raises(ValueError):
        no_kid("1" * 25)
    with pytest.raises(ValueError):
        rf_reference("1" * 22)


# --- Error messages name the kind and the problem ----------------------------------------


ERROR_MESSAGES = [
    (
        validate_kid,
        "123456783",
        {"algorithm": "MOD10"},
        "KID 123456783: check digit should be 2 (MOD10)",
    ),
    (validate_kid, "123456783", {}, "KID 123456783: check digit should be 2 (MOD10) or 5 (MOD11)"),
    (validate_se_ocr, "1234567898", {}, "OCR 1234567898: check digit should be 7"),
    (validate_se_ocr, "1234582", {"length_digit": True}, "OCR 1234582: length digit should be 7"),
    (validate_fi_reference, "1234562", {}, "Viitenumero 1234562: check digit should be 1"),
    (
        validate_rf,
        "RF17 5390 0754 7034",
        {},
        "RF reference RF17539007547034: check digits should be 18",
    ),
    (validate_kid, "12a4", {}, "KID 12a4: only digits"),
    (validate_kid, "12", {}, "KID 12: must be 4-25 digits long"),
    (validate_bankgiro, "160-9907", {}, "Bankgiro 1609907: check digit should be 8"),
    (validate_bankgiro, "12345", {}, "Bankgiro 12345: must be 7-8 digits long"),
    (validate_plusgiro, "123456-7", {}, "Plusgiro 1234567: check digit should be 6"),
    (
        validate_no_account,
        "8601 11 17949",
        {},
        "Norwegian account 86011117949: check digit is wrong",
    ),
    (validate_iban, "NO92 8601 1117 947", {}, "IBAN NO92 8601 1117 947: check digits are wrong"),
    (validate_iban, "NO93 8601 1117 947", {"country": "FI"}, "expected a FI IBAN, got NO"),
    (validate_se_bank_account, "6789123456788", {}, "Handelsbanken check digit is wrong (mod 11)"),
    (
        validate_se_bank_account,
        "8424-1,983 189 224-6",
        {},
        "clearing check digit should be 4 (8424-4)",
    ),
    (
        validate_se_bank_account,
        "123456789",
        {},
        "Danske Bank account numbers have exactly 7 digits",
    ),
    (validate_se_bank_account, "0999 1234567", {}, "unknown clearing number 0999"),
    (validate_se_bank_account, "6789-1, 123456789", {}, "only Swedbank 8xxx clearing numbers"),
]


@pytest.mark.parametrize("func,value,kwargs,message", ERROR_MESSAGES)
def test_error_messages(func, value, kwargs, message):
    # Messages name the kind of number and the problem (brief; section 5 algorithms).
    with pytest.raises(ValueError, match=re.escape(message)):
        func(value, **kwargs)


# --- Swedish bank accounts (Bankgirot "Bankernas kontonummer", swantzter/kontonummer) ----


@pytest.mark.parametrize(
    "value,canonical",
    [
        ("9420, 417 23 85", "94204172385"),  # Forex, type 1 comment 1
        ("6789 123456789", "6789123456789"),  # Handelsbanken, type 2 comment 2 (mod 11, 9 digits)
        ("9789 1111113", "97891111113"),  # Klarna, type 1 comment 2
        ("8424-4, 983 189 224-6", "84249831892246"),  # Swedbank, 5-digit clearing
        ("842449831892246", "84249831892246"),  # same, 15 digits written together
        ("84249831892246", "84249831892246"),  # same, 4-digit clearing + 10 digits
        ("8351-9,392 242 224-5", "83513922422245"),  # Sparbanken Tanum (Swedbank range)
        ("8129-9,043 386 711-6", "81290433867116"),  # Sparbank i Hudiksvall
        ("3300 000620-5124", "33000006205124"),  # Nordea personkonto, type 2 comment 1
    ],
)
def test_se_bank_account_canonical_form(value, canonical):
    assert validate_se_bank_account(value) == canonical


def test_se_bank_account_short_swedbank_account_is_zero_padded():
    # Swedbank 8xxx accounts are padded with zeros to 10 digits (type 2 comment 3, mod 10).
    assert validate_se_bank_account("8327-9, 12345674") == "83270012345674"


# --- Dispatchers -------------------------------------------------------------------------


def test_reference_for_case_per_country():
    assert reference_for_case("SE", "12345") == "1234574"
    assert reference_for_case("no", "12345678") == "123456782"
    assert reference_for_case("NO", "12345678", kid_algorithm="MOD11") == "123456785"
    assert reference_for_case("FI", "123456") == "1234561"
    assert [reference_kind_label(c) for c in ("SE", "NO", "FI")] == ["OCR", "KID", "Viitenumero"]
    with pytest.raises(ValueError, match="unsupported country"):
        reference_for_case("DK", "123")


def test_validate_reference_per_country_and_rf_everywhere():
    assert validate_reference("SE", "1234574") == "1234574"
    assert validate_reference("NO", "1009-") == "1009-"
    assert validate_reference("FI", "12 34561") == "1234561"
    for country in ("SE", "NO", "FI"):
        assert validate_reference(country, "rf34 1234 561") == "RF341234561"
    with pytest.raises(InvalidReference):
        validate_reference("FI", "1234562")


def test_validate_payout_account_dispatch():
    assert validate_payout_account("SE", "bankgiro", "5050-1055") == "50501055"
    assert validate_payout_account("SE", "plusgiro", "123456-6") == "1234566"
    assert validate_payout_account("SE", "se_account", "6789 123456789") == "6789123456789"
    assert validate_payout_account("NO", "no_account", "8601.11.17947") == "86011117947"
    assert validate_payout_account("FI", "iban", "FI21 1234 5600 0007 85") == "FI2112345600000785"
    with pytest.raises(InvalidAccount, match="expected a SE IBAN"):
        validate_payout_account("SE", "iban", "FI21 1234 5600 0007 85")
    with pytest.raises(InvalidAccount, match="only be used in SE"):
        validate_payout_account("NO", "bankgiro", "5050-1055")
    with pytest.raises(ValueError, match="unknown payout account kind"):
        validate_payout_account("SE", "swish", "0701234567")


# --- Property style: every generated reference validates, one changed digit fails --------

BASES = [str(n) for n in range(1, 2001)] + [
    "9" * 19,
    "1234567890123456789",
    "1000000000000000001",
    "31415926535897932",
]


def _single_digit_changes(ref):
    for i, ch in enumerate(ref):
        if ch.isdigit():
            for other in "0123456789":
                if other != ch:
                    yield ref[:i] + other + ref[i + 1 :]


def _assert_roundtrip(ref, validate):
    assert validate(ref) == ref
    for changed in _single_digit_changes(ref):
        with pytest.raises(InvalidReference):
            validate(changed)


@pytest.mark.parametrize("length_digit", [True, False])
def test_property_se_ocr(length_digit):
    for base in BASES:
        ref = se_ocr(base, length_digit=length_digit)
        _assert_roundtrip(ref, lambda r: validate_se_ocr(r, length_digit=length_digit))


@pytest.mark.parametrize("algorithm", ["MOD10", "MOD11"])
def test_property_kid(algorithm):
    for base in BASES:
        ref = no_kid(base, algorithm=algorithm)
        _assert_roundtrip(ref, lambda r: validate_kid(r, algorithm=algorithm))


def test_property_fi_reference_and_rf():
    # FI bases need 3 significant digits, so 1..2000 is shifted to 100..2099.
    for base in [str(int(b) + 99) if len(b) < 5 else b for b in BASES]:
        ref = fi_reference(base)
        _assert_roundtrip(ref, validate_fi_reference)
        _assert_roundtrip(rf_reference(ref), validate_rf)


def test_property_giro_and_account_check_digits():
    # Bankgiro / Plusgiro (Luhn): a single changed digit always fails.
    for number, validate in [
        ("1609908", validate_bankgiro),
        ("50501055", validate_bankgiro),
        ("1234566", validate_plusgiro),
    ]:
        assert validate(number) == number
        for changed in _single_digit_changes(number):
            with pytest.raises(InvalidAccount):
                validate(changed)
    for number in ("6789123456789", "97891111113", "94204172385", "33000006205124"):
        for changed in _single_digit_changes(number[4:]):
            with pytest.raises(InvalidAccount):
                validate_se_bank_account(number[:4] + " " + changed)
