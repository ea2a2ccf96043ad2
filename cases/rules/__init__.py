"""Look-ups in the dated rule tables (RuleValue rows)."""

import datetime as dt
from decimal import Decimal

from cases.models import RuleValue
from cases.rules import tables


class MissingRule(LookupError):
    pass


def rule_value(
    *,
    country: str,
    rule: str,
    on: dt.date,
    debtor_kind: str = "any",
    capital: Decimal | None = None,
) -> Decimal:
    """The value of `rule` valid on `on` for this debtor kind and claim size.

    A row for the debtor's kind wins over an "any" row; among bands, the smallest band that holds
    the capital; among dates, the latest valid_from not after `on`."""
    rows = RuleValue.objects.filter(
        country=country, rule=rule, applies_to__in=[debtor_kind, "any"], valid_from__lte=on
    ).order_by("-valid_from")
    candidates = list(rows)
    if not candidates:
        raise MissingRule(f"no {rule} for {country}/{debtor_kind} on {on}")
    best_kind = debtor_kind if any(r.applies_to == debtor_kind for r in candidates) else "any"
    candidates = [r for r in candidates if r.applies_to == best_kind]
    bands = sorted({r.capital_upto for r in candidates}, key=lambda b: (b is None, b))
    for band in bands:
        if band is None or capital is None or capital <= band:
            return next(r.value for r in candidates if r.capital_upto == band)
    raise MissingRule(f"no {rule} band for capital {capital}")


def load_rule_tables(model=RuleValue) -> int:
    """Insert the researched rows that are not there yet; never overwrite a corrected row."""
    created = 0
    for country, rule, applies_to, upto, valid_from, value, source, confirmed in tables.all_rows():
        _, was_created = model.objects.get_or_create(
            country=country,
            rule=rule,
            applies_to=applies_to,
            capital_upto=upto,
            valid_from=dt.date.fromisoformat(valid_from),
            defaults={"value": value, "source": source, "confirmed": confirmed},
        )
        created += was_created
    return created


def stage_fee(
    *,
    country: str,
    stage: str,
    on: dt.date,
    debtor_kind: str,
    capital: Decimal,
    earliest_due: dt.date,
) -> Decimal:
    """The statutory maximum fee for the letter of `stage`, or zero where none may be charged."""
    # INKF § 1-2: a Norwegian purring/inkassovarsel carries a fee only when sent >= 14 days
    # after the due date.
    if country == "NO" and (on - earliest_due).days < 14:
        return Decimal("0.00")
    try:
        value = rule_value(
            country=country, rule=f"fee.{stage}", on=on, debtor_kind=debtor_kind, capital=capital
        )
    except MissingRule:
        return Decimal("0.00")
    return value.quantize(Decimal("0.01"))


def days_to_pay(*, country: str, stage: str, on: dt.date) -> int:
    return int(rule_value(country=country, rule=f"days.{stage}", on=on))
