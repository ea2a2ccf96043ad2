"""Business days, deadlines and local dates: domain-rules.md sections 6 and 7."""

from datetime import UTC, date, datetime, timedelta, timezone

import holidays
import pytest

from nordic.calendar import (
    add_business_days,
    closed_days,
    country_timezone,
    deadline,
    is_business_day,
    local_today,
    next_business_day,
    previous_business_day,
)

D = date.fromisoformat

# (rule id, country, day the deadline falls on, expected deadline)
DEADLINE_CASES = [
    # Midsommarafton 2025-06-20 (Friday).
    ("SE-1930:173-2§-midsommarafton", "SE", "2025-06-20", "2025-06-23"),
    ("FI-150/1930-5§-juhannusaatto", "FI", "2025-06-20", "2025-06-23"),
    ("NO-ordinary-friday", "NO", "2025-06-20", "2025-06-20"),
    # Julafton 2025-12-24 (Wed); 25, 26 Dec holidays, 27/28 weekend.
    ("SE-1930:173-2§-julafton", "SE", "2025-12-24", "2025-12-29"),
    ("FI-150/1930-5§-jouluaatto", "FI", "2025-12-24", "2025-12-29"),
    ("NO-julaften-bank-closed", "NO", "2025-12-24", "2025-12-29"),
    # Nyårsafton 2025-12-31 (Wed); 1 Jan holiday.
    ("SE-1930:173-2§-nyarsafton", "SE", "2025-12-31", "2026-01-02"),
    ("FI-150/1930-5§-31dec-not-listed", "FI", "2025-12-31", "2025-12-31"),
    ("NO-nyttarsaften-bank-closed", "NO", "2025-12-31", "2026-01-02"),
    # Easter 2025: Maundy Thursday 17 Apr (NO only), Good Friday 18, Easter Monday 21.
    ("SE-skartorsdag-is-business-day", "SE", "2025-04-17", "2025-04-17"),
    ("NO-skjaertorsdag-public", "NO", "2025-04-17", "2025-04-22"),
    ("SE-langfredag", "SE", "2025-04-18", "2025-04-22"),
    ("FI-pitkaperjantai", "FI", "2025-04-18", "2025-04-22"),
    ("NO-langfredag", "NO", "2025-04-18", "2025-04-22"),
    ("SE-annandag-pask", "SE", "2025-04-21", "2025-04-22"),
    ("FI-2-paasiaispaiva", "FI", "2025-04-21", "2025-04-22"),
    # Weekends: Saturday and Sunday move to Monday everywhere.
    ("SE-1930:173-2§-saturday", "SE", "2025-03-01", "2025-03-03"),
    ("FI-150/1930-5§-arkilauantai", "FI", "2025-03-01", "2025-03-03"),
    ("NO-saturday", "NO", "2025-03-01", "2025-03-03"),
    ("SE-sunday", "SE", "2025-03-02", "2025-03-03"),
    # Other country-specific days.
    ("SE-nationaldagen", "SE", "2025-06-06", "2025-06-09"),
    ("FI-6-june-ordinary", "FI", "2025-06-06", "2025-06-06"),
    ("SE-1-maj", "SE", "2025-05-01", "2025-05-02"),
    ("FI-150/1930-5§-vapunpaiva", "FI", "2025-05-01", "2025-05-02"),
    ("FI-150/1930-5§-itsenaisyyspaiva", "FI", "2024-12-06", "2024-12-09"),
    ("SE-6-dec-ordinary", "SE", "2024-12-06", "2024-12-06"),
    ("NO-17-mai-then-2-pinsedag", "NO", "2024-05-17", "2024-05-21"),
]


@pytest.mark.parametrize(
    "country,due,expected",
    [c[1:] for c in DEADLINE_CASES],
    ids=[c[0] for c in DEADLINE_CASES],
)
def test_deadline_moves_to_next_business_day(country, due, expected):
    # deadline() = start + days calendar days, then the next business day (section 6).
    start = D(due) - timedelta(days=14)
    assert deadline(country, start, 14) == D(expected)
    assert deadline(country, D(due), 0) == D(expected)
    assert next_business_day(country, D(due)) == D(expected)


def test_fi_31_december_matches_law_and_holidays_package():
    # laki 150/1930 5 § lists pyhäpäivä, itsenäisyyspäivä, vapunpäivä, joulu- and
    # juhannusaatto, arkilauantai -- not uudenvuodenaatto; holidays FI PUBLIC agrees.
    for year in range(2020, 2031):
        assert date(year, 12, 31) not in holidays.country_holidays("FI", years=year)
        if date(year, 12, 31).weekday() < 5:
            assert is_business_day("FI", date(year, 12, 31))


def test_se_uses_public_plus_de_facto_exactly():
    # Section 6: SE PUBLIC lacks the three "aftnar"; DE_FACTO holds exactly those.
    de_facto = holidays.country_holidays("SE", years=2025, categories=(holidays.DE_FACTO,))
    assert sorted(de_facto) == [D("2025-06-20"), D("2025-12-24"), D("2025-12-31")]
    assert not any(is_business_day("SE", d) for d in de_facto)


def test_no_24_and_31_december_agree_with_xosl_proxy():
    # Section 6 names financial_holidays("XOSL") as a bank-closing proxy for NO; our explicit
    # rule (public + 24/31 Dec) gives the same closed weekdays.
    for year in range(2020, 2031):
        xosl = {d for d in holidays.financial_holidays("XOSL", years=year) if d.weekday() < 5}
        assert closed_days("NO", year) == xosl, year


def test_weekends_are_never_business_days():
    day = D("2025-01-04")  # Saturday
    for country in ("SE", "NO", "FI"):
        for week in range(52):
            assert not is_business_day(country, day + timedelta(weeks=week))
            assert not is_business_day(country, day + timedelta(weeks=week, days=1))


def test_business_day_counts_per_country_2025():
    # 261 weekdays in 2025 minus the weekday holidays of each calendar.
    weekdays = sum(1 for i in range(365) if (D("2025-01-01") + timedelta(i)).weekday() < 5)
    counts = {
        c: sum(is_business_day(c, D("2025-01-01") + timedelta(i)) for i in range(365))
        for c in ("SE", "NO", "FI")
    }
    assert weekdays == 261
    # SE: 1/1, 6/1, 18/4, 21/4, 1/5, 29/5, 6/6, 20/6, 24/12, 25/12, 26/12, 31/12 = 12
    # NO: 1/1, 17/4, 18/4, 21/4, 1/5, 29/5, 9/6, 24/12, 25/12, 26/12, 31/12 = 11
    # FI: 1/1, 6/1, 18/4, 21/4, 1/5, 29/5, 20/6, 24/12, 25/12, 26/12 = 10
    assert counts == {"SE": 261 - 12, "NO": 261 - 11, "FI": 261 - 10}


def test_add_business_days_skips_easter_and_christmas():
    # Section 6 business-day definition.
    assert add_business_days("SE", D("2025-04-17"), 1) == D("2025-04-22")
    assert add_business_days("NO", D("2025-04-16"), 1) == D("2025-04-22")
    assert add_business_days("FI", D("2025-12-23"), 1) == D("2025-12-29")
    assert add_business_days("SE", D("2025-12-30"), 1) == D("2026-01-02")
    assert add_business_days("FI", D("2025-12-30"), 1) == D("2025-12-31")
    assert add_business_days("SE", D("2025-12-29"), -1) == D("2025-12-23")
    assert add_business_days("SE", D("2025-06-21"), 0) == D("2025-06-23")
    assert add_business_days("NO", D("2025-03-03"), 5) == D("2025-03-10")
    assert previous_business_day("SE", D("2025-06-22")) == D("2025-06-19")


def test_add_business_days_roundtrip():
    start = D("2025-01-02")
    for country in ("SE", "NO", "FI"):
        for n in (1, 5, 20, 250):
            there = add_business_days(country, start, n)
            assert is_business_day(country, there)
            assert add_business_days(country, there, -n) == start


def test_deadline_rejects_negative_days_and_bad_input():
    with pytest.raises(ValueError):
        deadline("SE", D("2025-01-01"), -1)
    with pytest.raises(ValueError, match="unsupported country"):
        is_business_day("DK", D("2025-01-02"))
    with pytest.raises(TypeError):
        is_business_day("SE", datetime(2025, 1, 2, 12, tzinfo=UTC))


def test_lowercase_country_is_accepted():
    assert is_business_day("se", D("2025-06-20")) is False
    assert is_business_day("no", D("2025-06-20")) is True


# --- Section 7: creditor time zones --------------------------------------------------------


def test_country_timezones():
    assert country_timezone("SE") == "Europe/Stockholm"
    assert country_timezone("NO") == "Europe/Oslo"
    assert country_timezone("FI") == "Europe/Helsinki"


@pytest.mark.parametrize(
    "now,expected",
    [
        # Winter (CET / EET): 22:30Z is 23:30 in Stockholm/Oslo, 00:30 next day in Helsinki.
        ("2025-03-01T22:30:00+00:00", {"SE": "2025-03-01", "NO": "2025-03-01", "FI": "2025-03-02"}),
        # Summer (CEST / EEST): 21:30Z is 23:30 / 00:30.
        ("2025-06-30T21:30:00+00:00", {"SE": "2025-06-30", "NO": "2025-06-30", "FI": "2025-07-01"}),
        # Just after midnight everywhere.
        ("2025-03-01T23:00:00+00:00", {"SE": "2025-03-02", "NO": "2025-03-02", "FI": "2025-03-02"}),
    ],
)  # fmt: skip
def test_local_today_around_midnight(now, expected):
    # Section 7: Finland is one hour ahead, a single UTC instant can be two dates.
    instant = datetime.fromisoformat(now)
    for country, day in expected.items():
        assert local_today(country_timezone(country), instant) == D(day)


def test_local_today_accepts_any_aware_datetime_and_rejects_naive():
    eastern = timezone(timedelta(hours=-5))
    assert local_today("Europe/Helsinki", datetime(2025, 3, 1, 17, 30, tzinfo=eastern)) == D(
        "2025-03-02"
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        local_today("Europe/Stockholm", datetime(2025, 3, 1, 22, 30))
    assert isinstance(local_today("Europe/Oslo"), date)
