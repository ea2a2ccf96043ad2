"""Payout accounts written as in their country (nordic.accounts.format_payout_account)."""

import pytest

from nordic.accounts import format_payout_account, validate_payout_account


@pytest.mark.parametrize(
    ("country", "kind", "given", "written"),
    [
        ("SE", "bankgiro", "50501055", "5050-1055"),
        ("SE", "bankgiro", "5050-1055", "5050-1055"),
        ("SE", "bankgiro", "1234566", "123-4566"),
        ("SE", "plusgiro", "2865434", "28 65 43-4"),
        ("SE", "plusgiro", "44936003", "4 49 36 00-3"),
        ("SE", "se_account", "6000, 123 456 789", "6000, 123456789"),
        ("NO", "no_account", "86011117947", "8601 11 17947"),
        ("FI", "iban", "FI2112345600000785", "FI21 1234 5600 0007 85"),
        ("SE", "iban", "se4550000000058398257466", "SE45 5000 0000 0583 9825 7466"),
    ],
)
def test_each_kind_is_written_as_in_its_country(country, kind, given, written):
    assert format_payout_account(kind, validate_payout_account(country, kind, given)) == written


def test_an_unknown_kind_is_left_as_given():
    assert format_payout_account("", "12345") == "12345"
