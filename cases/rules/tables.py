"""Dated legal figures, as researched in shared/domain-rules.md (source ids refer to its list).

Loaded into RuleValue rows by a data migration and by `manage.py load_rules`; rows are the truth
afterwards (support staff may correct the unconfirmed ones in the admin).
Columns: country, rule, applies_to, capital_upto, valid_from, value, source, confirmed.
"""

from decimal import Decimal as D

ANY, CONSUMER, BUSINESS = "any", "consumer", "business"

FEES = [
    # Sweden, lag (1981:739) 4 §, 4 a §; förordning 1981:1057 before 2013-03-16.
    ("SE", "fee.reminder", ANY, None, "2003-07-01", D("50"), "SE-L2", True),
    ("SE", "fee.reminder", ANY, None, "2013-03-16", D("60"), "SE-L1 4 §", True),
    ("SE", "fee.demand", ANY, None, "2003-07-01", D("160"), "SE-L2", True),
    ("SE", "fee.demand", ANY, None, "2013-03-16", D("180"), "SE-L1 4 §", True),
    ("SE", "fee.payment_plan", ANY, None, "2003-07-01", D("150"), "SE-L2", True),
    ("SE", "fee.payment_plan", ANY, None, "2013-03-16", D("170"), "SE-L1 4 §", True),
    ("SE", "fee.b2b_compensation", BUSINESS, None, "2013-03-16", D("450"), "SE-L1 4 a §", True),
    ("SE", "fee.enforcement_application", ANY, None, "2008-12-12", D("300"), "SE-L3", True),
    # Norway, inkassoforskriften § 1-2: sats/20 (purring, inkassovarsel), 3·sats/20 (BO).
    ("NO", "fee.reminder", ANY, None, "2017-01-01", D("70"), "NO-A1", True),
    ("NO", "fee.reminder", ANY, None, "2020-10-01", D("35"), "NO-L1 § 1-2", True),
    ("NO", "fee.reminder", ANY, None, "2026-01-01", D("38"), "NO-S1 (sats 750)", False),
    ("NO", "fee.notice", ANY, None, "2017-01-01", D("70"), "NO-A1", True),
    ("NO", "fee.notice", ANY, None, "2020-10-01", D("35"), "NO-L1 § 1-2", True),
    ("NO", "fee.notice", ANY, None, "2026-01-01", D("38"), "NO-S1 (sats 750)", False),
    ("NO", "fee.demand", ANY, None, "2017-01-01", D("210"), "NO-A1", True),
    ("NO", "fee.demand", ANY, None, "2020-10-01", D("105"), "NO-L1 § 1-2", True),
    ("NO", "fee.demand", ANY, None, "2026-01-01", D("113"), "NO-S1 (sats 750)", False),
    # Finland, perintälaki 10 § ff. Consumer caps from 2013-03-16; B2B caps from 2022-05-01.
    ("FI", "fee.reminder", CONSUMER, None, "2013-03-16", D("5"), "FI-A1", True),
    ("FI", "fee.demand", CONSUMER, D("100"), "2013-03-16", D("14"), "FI-S1", False),
    ("FI", "fee.demand", CONSUMER, D("1000"), "2013-03-16", D("24"), "FI-S1", False),
    ("FI", "fee.demand", CONSUMER, None, "2013-03-16", D("50"), "FI-S1", False),
    ("FI", "fee.demand_2", CONSUMER, D("100"), "2013-03-16", D("7"), "FI-S1", False),
    ("FI", "fee.demand_2", CONSUMER, D("1000"), "2013-03-16", D("12"), "FI-S1", False),
    ("FI", "fee.demand_2", CONSUMER, None, "2013-03-16", D("25"), "FI-S1", False),
    ("FI", "fee.reminder", BUSINESS, None, "2022-05-01", D("12"), "FI-S2", False),
    ("FI", "fee.demand", BUSINESS, D("500"), "2022-05-01", D("50"), "FI-S2", False),
    ("FI", "fee.demand", BUSINESS, D("2500"), "2022-05-01", D("70"), "FI-S2", False),
    ("FI", "fee.demand", BUSINESS, D("10000"), "2022-05-01", D("90"), "FI-S2", False),
    ("FI", "fee.demand", BUSINESS, None, "2022-05-01", D("110"), "FI-S2", False),
    ("FI", "fee.demand_2", BUSINESS, D("500"), "2022-05-01", D("25"), "FI-S2 (half)", False),
    ("FI", "fee.demand_2", BUSINESS, D("2500"), "2022-05-01", D("35"), "FI-S2 (half)", False),
    ("FI", "fee.demand_2", BUSINESS, D("10000"), "2022-05-01", D("45"), "FI-S2 (half)", False),
    ("FI", "fee.demand_2", BUSINESS, None, "2022-05-01", D("55"), "FI-S2 (half)", False),
    ("FI", "fee.b2b_compensation", BUSINESS, None, "2013-03-16", D("40"), "FI-S2", False),
]

# Statutory late-payment interest, percent p.a., per half-year (domain-rules.md § 3).
_HALF_YEARS = [
    "2022-01-01",
    "2022-07-01",
    "2023-01-01",
    "2023-07-01",
    "2024-01-01",
    "2024-07-01",
    "2025-01-01",
    "2025-07-01",
    "2026-01-01",
    "2026-07-01",
]
_SE = ["8.00", "8.50", "10.50", "11.50", "12.00", "12.00", "11.00", "10.00", "10.00", None]
_SE_OK = [True, True, True, True, True, True, False, True, True, False]
_NO = ["8.50", "9.25", "10.75", "11.75", "12.50", "12.50", "12.50", "12.25", "12.00", "12.25"]
_NO_OK = [False, False, False, False, True, False, True, False, False, False]
_FI_CONSUMER = ["7.0", "7.0", "9.5", "11.0", "11.5", "11.5", "10.5", "9.5", "9.5", None]
_FI_BUSINESS = ["8.0", "8.0", "10.5", "12.0", "12.5", "12.5", "11.5", "10.5", "10.5", None]
_FI_OK = [False, True, True, False, False, True, True, False, True, False]


def _interest_rows():
    for i, day in enumerate(_HALF_YEARS):
        if _SE[i]:
            yield (
                "SE",
                "interest.statutory",
                ANY,
                None,
                day,
                D(_SE[i]),
                "SE-L4 6 §, SE-S3",
                _SE_OK[i],
            )
        yield (
            "NO",
            "interest.statutory",
            ANY,
            None,
            day,
            D(_NO[i]),
            "NO-A2, NO-S1, NO-S4",
            _NO_OK[i],
        )
        if _FI_CONSUMER[i]:
            yield (
                "FI",
                "interest.statutory",
                CONSUMER,
                None,
                day,
                D(_FI_CONSUMER[i]),
                "FI-A4 4 §",
                _FI_OK[i],
            )
            yield (
                "FI",
                "interest.statutory",
                BUSINESS,
                None,
                day,
                D(_FI_BUSINESS[i]),
                "FI-A4 4 a §",
                _FI_OK[i],
            )


# Days the debtor is given to pay after each letter (calendar days, then moved to a business day).
DAYS_TO_PAY = [
    (
        "SE",
        "days.reminder",
        ANY,
        None,
        "2000-01-01",
        D("10"),
        "practice (no statutory minimum)",
        False,
    ),
    ("SE", "days.demand", ANY, None, "2000-01-01", D("8"), "SE-A2 god inkassosed", True),
    ("NO", "days.reminder", ANY, None, "2000-01-01", D("14"), "NO-L1 § 1-3", True),
    ("NO", "days.notice", ANY, None, "2000-01-01", D("14"), "NO-L2 INKL § 9", True),
    ("NO", "days.demand", ANY, None, "2000-01-01", D("14"), "NO-L2 INKL § 10", True),
    ("FI", "days.reminder", ANY, None, "2000-01-01", D("14"), "FI-A1, FI-A2", True),
    ("FI", "days.demand", ANY, None, "2000-01-01", D("14"), "FI-L1 5 §", True),
    ("FI", "days.demand_2", ANY, None, "2000-01-01", D("14"), "FI-A1", True),
    ("SE", "days.decision", ANY, None, "2000-01-01", D("14"), "product default", False),
    ("NO", "days.decision", ANY, None, "2000-01-01", D("14"), "product default", False),
    ("FI", "days.decision", ANY, None, "2000-01-01", D("14"), "product default", False),
]


# Earliest day a letter may go out, in days after the due date, and the least number of days
# between a fee-bearing letter and the next one.
TIMING = [
    # KKV 2024-10-21: the first fee-bearing reminder not on day 14, so day 15 at the earliest.
    ("FI", "earliest.reminder", CONSUMER, None, "2013-03-16", D("15"), "FI-A1, FI-A2", True),
    # perintälaki 5 §, KKV 2024: more than 14 days between reminder and demand, demand and demand.
    ("FI", "gap.reminder", CONSUMER, None, "2013-03-16", D("15"), "FI-L1 5 §, FI-A2", True),
    ("FI", "gap.demand", CONSUMER, None, "2013-03-16", D("15"), "FI-A1, FI-A2", True),
    # 299/2022: B2B fee-bearing demand only 10 days after the previous reminder or demand.
    ("FI", "gap.reminder", BUSINESS, None, "2022-05-01", D("10"), "FI-S2", False),
    ("FI", "gap.demand", BUSINESS, None, "2022-05-01", D("10"), "FI-S2", False),
    # INKL § 9: inkassovarsel only after the due date.
    ("NO", "earliest.notice", ANY, None, "2000-01-01", D("1"), "NO-L2 INKL § 9", True),
    # FI cost caps for a consumer claim in voluntary collection, by capital band.
    ("FI", "cap.fees", CONSUMER, D("100"), "2013-03-16", D("60"), "FI-S1, FI-S3", False),
    ("FI", "cap.fees", CONSUMER, D("1000"), "2013-03-16", D("120"), "FI-S1, FI-S3", False),
    ("FI", "cap.fees", CONSUMER, None, "2013-03-16", D("210"), "FI-S1, FI-S3", False),
]


def all_rows():
    yield from FEES
    yield from _interest_rows()
    yield from DAYS_TO_PAY
    yield from TIMING
