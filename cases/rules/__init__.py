"""Dated rule tables (RuleValue rows) and the per-country rules that read them.

A `RuleBook` loads every row once (a few hundred) and answers look-ups in memory, so a batch of
thousands of cases costs one query for its rules."""

import datetime as dt
from decimal import Decimal

from cases.models import RuleValue
from cases.rules import tables

ZERO = Decimal("0.00")


class MissingRule(LookupError):
    pass


class RuleBook:
    def __init__(self, rows):
        self._rows: dict[tuple[str, str], list] = {}
        for row in sorted(rows, key=lambda r: r.valid_from, reverse=True):
            self._rows.setdefault((row.country, row.rule), []).append(row)

    @classmethod
    def load(cls) -> "RuleBook":
        return cls(RuleValue.objects.all())

    def value(
        self,
        *,
        country: str,
        rule: str,
        on: dt.date,
        debtor_kind: str = "any",
        capital: Decimal | None = None,
        default: Decimal | None = None,
    ) -> Decimal:
        """The value valid on `on`. A row for the debtor's kind wins over an "any" row; among
        bands, the smallest that holds the capital; among dates, the latest not after `on`."""
        rows = [
            r
            for r in self._rows.get((country, rule), ())
            if r.valid_from <= on and r.applies_to in (debtor_kind, "any")
        ]
        if any(r.applies_to == debtor_kind for r in rows):
            rows = [r for r in rows if r.applies_to == debtor_kind]
        bands = sorted({r.capital_upto for r in rows}, key=lambda b: (b is None, b))
        for band in bands:
            if band is None or capital is None or capital <= band:
                return next(r.value for r in rows if r.capital_upto == band)
        if default is not None:
            return default
        raise MissingRule(f"no {rule} for {country}/{debtor_kind} on {on}")

    def rates(self, *, country: str, debtor_kind: str) -> list[tuple[dt.date, Decimal]]:
        """Statutory interest rows (valid_from, percent), oldest first, for the debtor's kind."""
        rows = self._rows.get((country, "interest.statutory"), ())
        own = [r for r in rows if r.applies_to == debtor_kind]
        chosen = own or [r for r in rows if r.applies_to == "any"]
        return sorted((r.valid_from, r.value) for r in chosen)


def rule_value(
    *,
    country: str,
    rule: str,
    on: dt.date,
    debtor_kind: str = "any",
    capital: Decimal | None = None,
) -> Decimal:
    """One look-up outside a batch."""
    return RuleBook.load().value(
        country=country, rule=rule, on=on, debtor_kind=debtor_kind, capital=capital
    )


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


def country_rules(country: str, book: RuleBook | None = None):
    from cases.rules.fi import FinnishRules
    from cases.rules.no import NorwegianRules
    from cases.rules.se import SwedishRules

    classes = {"SE": SwedishRules, "NO": NorwegianRules, "FI": FinnishRules}
    return classes[country](book or RuleBook.load())
