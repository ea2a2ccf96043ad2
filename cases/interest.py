"""Late-payment interest: per day, split at every rate change (1 Jan / 1 Jul) and year end, on a
constant principal (the ledger books interest up to every payment date, so the principal between
two bookings never changes).

Day count: actual/365 in Sweden and Norway (common practice; no statute found, domain-rules.md
§ 3 and § 8 item 4); actual/actual in Finland (oikeus.fi example divides by 366 in a leap year).
The first interest day is the day after the due date (SE-S7, NO-S1, FI-A5)."""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
DAY_COUNT = {"SE": "act/365", "NO": "act/365", "FI": "act/act"}


@dataclass(frozen=True)
class InterestSegment:
    start: dt.date  # first day, inclusive
    end: dt.date  # last day, inclusive
    rate: Decimal  # percent per year
    days: int
    amount: Decimal  # unrounded


def _year_basis(year: int, day_count: str) -> int:
    if day_count == "act/act" and calendar.isleap(year):
        return 366
    return 365


def segments(
    *,
    principal: Decimal,
    start: dt.date,
    end: dt.date,
    rates: list[tuple[dt.date, Decimal]],
    day_count: str,
) -> list[InterestSegment]:
    """Interest on `principal` for each day from `start` to `end` (both inclusive).

    `rates` are (valid_from, percent) rows sorted by date; the rate on a day is the last row
    valid on it. A day before the first row has no rate and earns nothing."""
    if end < start or principal <= 0:
        return []
    cuts = sorted(
        {
            start,
            *(d for d, _ in rates if start < d <= end),
            *(dt.date(y, 1, 1) for y in range(start.year + 1, end.year + 1)),
        }
    )
    result = []
    for i, seg_start in enumerate(cuts):
        seg_end = cuts[i + 1] - dt.timedelta(days=1) if i + 1 < len(cuts) else end
        rate = rate_on(rates, seg_start)
        if rate is None:
            continue
        days = (seg_end - seg_start).days + 1
        basis = _year_basis(seg_start.year, day_count)
        amount = principal * rate / Decimal(100) * Decimal(days) / Decimal(basis)
        result.append(InterestSegment(seg_start, seg_end, rate, days, amount))
    return result


def rate_on(rates: list[tuple[dt.date, Decimal]], day: dt.date) -> Decimal | None:
    current = None
    for valid_from, rate in rates:
        if valid_from > day:
            break
        current = rate
    return current


def interest(
    *,
    principal: Decimal,
    start: dt.date,
    end: dt.date,
    rates: list[tuple[dt.date, Decimal]],
    day_count: str,
) -> Decimal:
    """The interest for the period, rounded once to cents (half up)."""
    total = sum(
        (
            s.amount
            for s in segments(
                principal=principal, start=start, end=end, rates=rates, day_count=day_count
            )
        ),
        Decimal(0),
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)
