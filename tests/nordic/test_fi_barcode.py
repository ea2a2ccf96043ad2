"""The Finnish virtual bank barcode against the example invoices of Finanssiala's
"Pankkiviivakoodi-opas / Bank Bar Code Guide" 5.3 (sections 9 and 10: invoices 1-9 in version 4
with the national reference, and the same invoices in version 5 with the RF reference), as the
guide prints them and public implementations reproduce them in their tests."""

import datetime as dt
from decimal import Decimal

import pytest

from nordic.fi_barcode import BarcodeError, parse_virtual_barcode, virtual_barcode

D = Decimal
# (IBAN, amount, national reference, RF reference, due date, version 4 number, version 5 number)
GUIDE = [
    ("FI79 4405 2020 0360 82", D("4883.15"), "86851 62596 19897", "RF09 8685 1625 9619 897",
     dt.date(2010, 6, 12),
     "479440520200360820048831500000000868516259619897100612",
     "579440520200360820048831509000000868516259619897100612"),
    ("FI02 5000 4640 0013 02", D("693.80"), "69 87567 20834 35364", "RF02 6987 5672 0834",
     dt.date(2011, 7, 24),
     "402500046400013020006938000000069875672083435364110724",
     "502500046400013020006938002000000000698756720834110724"),
    ("FI15 6601 0001 5306 41", D("7444.54"), "7 75847 47906 47489", "RF84 7758 4747 9064 7489",
     dt.date(2019, 12, 19),
     "415660100015306410074445400000007758474790647489191219",
     "515660100015306410074445484000007758474790647489191219"),
    # no due date
    ("FI16 8000 1400 0502 67", D("935.85"), "78 77767 96566 28687", "RF60 7877 7679 6566 2868 7",
     None,
     "416800014000502670009358500000078777679656628687000000",
     "516800014000502670009358560000078777679656628687000000"),
    # no amount
    ("FI73 3131 3001 0000 58", None, "8 68624", "RF10 8686 24", dt.date(2013, 8, 9),
     "473313130010000580000000000000000000000000868624130809",
     "573313130010000580000000010000000000000000868624130809"),
    ("FI83 3301 0001 1007 75", D("150000.20"), "92125 37425 25398 97737",
     "RF71 9212 5374 2525 3989 7737", dt.date(2016, 5, 25),
     "483330100011007751500002000092125374252539897737160525",
     "583330100011007751500002071092125374252539897737160525"),
    ("FI39 3636 3002 0924 92", D("1.03"), "5907 38390", "RF66 5907 3839 0", dt.date(2023, 3, 11),
     "439363630020924920000010300000000000000590738390230311",
     "539363630020924920000010366000000000000590738390230311"),
    ("FI92 3939 0001 0033 91", D("0.02"), "13 57914", "RF95 1357 914", dt.date(2099, 12, 24),
     "492393900010033910000000200000000000000001357914991224",
     "592393900010033910000000295000000000000001357914991224"),
]  # fmt: skip


@pytest.mark.parametrize(("iban", "amount", "ref", "rf", "due", "v4", "v5"), GUIDE)
def test_the_guides_examples(iban, amount, ref, rf, due, v4, v5):
    assert virtual_barcode(iban=iban, reference=ref, amount=amount, due=due) == v4
    assert virtual_barcode(iban=iban, reference=rf, amount=amount, due=due) == v5
    back4, back5 = parse_virtual_barcode(v4), parse_virtual_barcode(v5)
    assert (back4["version"], back5["version"]) == (4, 5)
    assert back4["iban"] == back5["iban"] == iban.replace(" ", "")
    assert back4["amount"] == back5["amount"] == amount
    assert back4["due"] == back5["due"] == due
    assert back4["reference"] == ref.replace(" ", "")
    assert back5["reference"] == rf.replace(" ", "")


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"iban": "NO93 8601 1117 947"}, "Finnish IBAN"),
        ({"iban": "FI21 1234 5600 0007 86"}, "Finnish IBAN"),
        ({"reference": "1234562"}, "check digit"),
        ({"reference": "RF17 5390 0754 7034"}, "check digits"),
        ({"reference": "RF71 ABCD"}, "RF reference"),
        ({"amount": D("1000000.00")}, "does not fit"),
        ({"amount": D("-1.00")}, "does not fit"),
        ({"amount": D("1.005")}, "two decimals"),
        ({"due": dt.date(1999, 12, 31)}, "2000-2099"),
    ],
)
def test_what_does_not_fit_is_refused(kwargs, problem):
    args = {"iban": "FI21 1234 5600 0007 85", "reference": "1234561",
            "amount": D("12.00"), "due": dt.date(2026, 1, 1)} | kwargs  # fmt: skip
    with pytest.raises(BarcodeError, match=problem):
        virtual_barcode(**args)


def test_parse_refuses_what_is_not_a_barcode():
    with pytest.raises(BarcodeError):
        parse_virtual_barcode("4" * 53)
    with pytest.raises(BarcodeError, match="version"):
        parse_virtual_barcode("2" + "0" * 53)
