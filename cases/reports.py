"""The creditor's dashboard figures: open cases by stage, what is outstanding, what was collected
this month and month by month. Reads only, scoped by an explicit creditor; a fixed number of
queries whatever the number of cases."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from cases.models import Case, Payment
from creditors.models import Creditor

ZERO = Decimal("0.00")
# What counts as money collected: paid to us or to the creditor; a credit note is not money.
COLLECTED = (Payment.Source.COLLECTOR, Payment.Source.DIRECT)


@dataclass(frozen=True)
class Dashboard:
    open_by_stage: list[tuple[str, str, int]]  # (stage, label, cases), in the stages' order
    open_cases: int
    paused_cases: int
    outstanding: Decimal  # capital, fees and interest still owed on open and paused cases
    collected_this_month: Decimal
    collected_by_month: list[tuple[dt.date, Decimal]]  # first of each month, oldest first


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def dashboard(*, creditor: Creditor, today: dt.date, months: int = 12) -> Dashboard:
    cases = Case.objects.for_creditor(creditor)
    counts = dict(
        cases.filter(status=Case.Status.OPEN).values_list("stage").annotate(n=Count("id"))
    )
    paused = cases.filter(status=Case.Status.PAUSED).count()
    owed = cases.filter(status__in=(Case.Status.OPEN, Case.Status.PAUSED)).aggregate(
        total=Sum("outstanding")
    )["total"]
    first = _month_start(today, months - 1)
    rows = (
        Payment.objects.for_creditor(creditor)
        .filter(source__in=COLLECTED, paid_on__gte=first, paid_on__lte=today)
        .annotate(month=TruncMonth("paid_on"))
        .values("month")
        .annotate(total=Sum("amount"))
    )
    by_month = {_as_date(r["month"]): (r["total"] or ZERO).quantize(ZERO) for r in rows}
    starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    series = [(m, by_month.get(m, ZERO)) for m in starts]
    return Dashboard(
        open_by_stage=[(s.value, s.label, counts[s]) for s in Case.Stage if s in counts],
        open_cases=sum(counts.values()),
        paused_cases=paused,
        outstanding=(owed or ZERO).quantize(ZERO),
        collected_this_month=series[-1][1],
        collected_by_month=series,
    )


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
