"""Business days, payment deadlines and the creditor's local date for SE, NO and FI.

Spec: /work/shared/domain-rules.md sections 6 (holidays, business days) and 7 (time zones).
A business day is a Monday-Friday that is not a holiday of holidays.country_holidays() with:

- SE: PUBLIC + DE_FACTO. lag (1930:173) 2 § moves a statutory last day falling on a Sunday,
  allmän helgdag, Saturday, midsommarafton, julafton or nyårsafton; PUBLIC lacks the three
  "aftnar" and DE_FACTO holds exactly those. BANK (half days "from 2pm") is not a closed day.
- FI: PUBLIC, which already has vapunpäivä, juhannusaatto, itsenäisyyspäivä and jouluaatto,
  i.e. the days of laki 150/1930 5 §. Uudenvuodenaatto (31 Dec) is NOT in that list, so it is
  a business day in Finland (TARGET2, which settles euro payments, is open that day too).
- NO: PUBLIC plus 24 and 31 Dec, see _NO_BANK_CLOSED below.

is_business_day() runs in batch jobs over ~10^5 cases per second, so the closed weekdays are
computed once per (country, year) and cached as a frozenset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from nordic.countries import country as _nordic_country

_CATEGORIES = {
    "SE": (holidays.PUBLIC, holidays.DE_FACTO),
    "NO": (holidays.PUBLIC,),
    "FI": (holidays.PUBLIC,),
}

# Norway: holidays' NO calendar has public holidays only, no 24/31 Dec. Norwegian banks do not
# book payments on julaften and nyttårsaften (bank-closed days, though not public holidays), so
# a payment deadline there cannot be met by a transfer that day. domain-rules section 6 names
# financial_holidays("XOSL") (Oslo Børs) as a proxy for bank closing days and marks it [?]; we
# add the two days explicitly instead, because an exchange calendar can gain exchange-only
# closures. tests/nordic/test_calendar.py checks both agree on weekdays for 2020-2030.
_NO_BANK_CLOSED = ((12, 24), (12, 31))


def _country(country: str) -> str:
    return _nordic_country(country).code


@lru_cache(maxsize=512)
def _closed_weekdays(country: str, year: int) -> frozenset[date]:
    """Holidays of `country` in `year` that fall on Monday-Friday (weekends are checked
    separately). Cached per (country, year)."""
    cc = _country(country)
    days = set(holidays.country_holidays(cc, years=year, categories=_CATEGORIES[cc]))
    if cc == "NO":
        days.update(date(year, month, day) for month, day in _NO_BANK_CLOSED)
    return frozenset(d for d in days if d.weekday() < 5)


def is_business_day(country: str, day: date) -> bool:
    """True on Monday-Friday unless the day is a holiday (or bank-closed day) in `country`."""
    if type(day) is not date:
        _reject_non_date(day)
    return day.weekday() < 5 and day not in _closed_weekdays(country, day.year)


def _reject_non_date(day: object) -> None:
    # A datetime is a date subclass but never equal to one, so it would silently look like a
    # business day; convert it with local_today() / .date() in the right zone first.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}")


def closed_days(country: str, year: int) -> frozenset[date]:
    """The non-weekend days on which `country` has no business day in `year` (for display)."""
    return _closed_weekdays(country, year)


def next_business_day(country: str, day: date) -> date:
    """`day` itself if it is a business day, else the first business day after it."""
    while not is_business_day(country, day):
        day += timedelta(days=1)
    return day


def previous_business_day(country: str, day: date) -> date:
    """`day` itself if it is a business day, else the last business day before it."""
    while not is_business_day(country, day):
        day -= timedelta(days=1)
    return day


def add_business_days(country: str, day: date, n: int) -> date:
    """The n-th business day after `day` (before it for negative n); `day` itself does not
    count and need not be a business day. n=0 rolls forward like next_business_day()."""
    if n == 0:
        return next_business_day(country, day)
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_business_day(country, day):
            remaining -= 1
    return day


def deadline(country: str, start: date, days: int) -> date:
    """Payment deadline: `start` + `days` calendar days, moved to the next business day when
    it falls on a non-business day.

    - SE: lag (1930:173) 2 § (Saturday, Sunday, helgdag, midsommar-/jul-/nyårsafton).
    - FI: laki 150/1930 5 § (pyhäpäivä, itsenäisyyspäivä, vapunpäivä, joulu-/juhannusaatto,
      arkilauantai); 31 Dec is not listed and does not move.
    - NO: no statutory move for a contractual or inkasso deadline: per Ot.prp. nr. 2 (1997-98)
      the INKL § 9 deadline ends on the same weekday two weeks later even if that is a holiday
      [S, domain-rules 6]; domstolloven § 149 (procedural deadlines) was not read. We still
      move it, because a payment ordered on a bank-closed day is only received the next
      business day (FAL § 4-5 [S]) and a later deadline never shortens the debtor's time. Callers
      must not treat the moved date as the statutory one when arguing a NO deadline in court.

    Note FI's "more than 14 days" (domain-rules 6, FI-A2) is the caller's `days` choice.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    return next_business_day(country, start + timedelta(days=days))


def country_timezone(country: str) -> str:
    """IANA zone of the creditor's country: Europe/Stockholm, Europe/Oslo, Europe/Helsinki."""
    return _nordic_country(country).time_zone


def local_today(tz_name: str, now: datetime | None = None) -> date:
    """Today's date in the creditor's time zone. Helsinki is an hour ahead of Stockholm and
    Oslo, so one UTC instant can be two dates (domain-rules 7); `now` must be aware."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware (e.g. datetime.now(UTC))")
    return now.astimezone(ZoneInfo(tz_name)).date()
