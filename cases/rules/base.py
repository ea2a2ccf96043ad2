"""What each country's law says about a case's next step. One subclass per country (se.py,
no.py, fi.py); figures come from the dated RuleBook, never from constants in code."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from cases.rules import ZERO, RuleBook


@dataclass(frozen=True)
class Claim:
    """The facts about a case the rules decide on."""

    country: str
    debtor_kind: str  # "consumer" or "business"
    capital: Decimal  # outstanding capital now
    earliest_due: dt.date
    fees_charged: Decimal  # fees raised so far on the case
    reminder_fee_agreed: bool = False
    contractual_rate: Decimal | None = None
    backlog: bool = False  # overdue at the creditor's activation (Case.backlog)


@dataclass(frozen=True)
class Fee:
    key: str  # ledger key: one fee per key per case, ever
    label: str
    amount: Decimal


class CountryRules:
    country: ClassVar[str]
    plan: ClassVar[tuple[str, ...]]  # letter stages, then "decision"
    authority: ClassVar[str]
    decision_options: ClassVar[tuple[str, ...]] = ("enforcement", "surveillance", "close")

    def __init__(self, book: RuleBook):
        self.book = book

    def _value(self, rule: str, on: dt.date, claim: Claim, default=ZERO) -> Decimal:
        return self.book.value(
            country=self.country,
            rule=rule,
            on=on,
            debtor_kind=claim.debtor_kind,
            capital=claim.capital,
            default=default,
        )

    def fees(self, claim: Claim, stage: str, on: dt.date) -> list[Fee]:
        if claim.backlog and stage == "reminder":
            # One fee-bearing reminder per invoice: the creditor's own may have gone out.
            return []
        amount = self._value(f"fee.{stage}", on, claim)
        return [Fee(f"fee:{stage}", f"{stage} fee", amount)] if amount > 0 else []

    def earliest(self, claim: Claim, stage: str, on: dt.date) -> dt.date:
        """The first day the letter of `stage` may be sent, counted from the due date."""
        if claim.backlog and stage == "reminder":
            return claim.earliest_due + dt.timedelta(days=1)  # fee-free, so at once
        days = self._value(f"earliest.{stage}", on, claim, default=Decimal(1))
        return claim.earliest_due + dt.timedelta(days=int(days))

    def gap_after(self, claim: Claim, stage: str, on: dt.date) -> int:
        """Least days between the letter of `stage` and the next fee-bearing letter."""
        return int(self._value(f"gap.{stage}", on, claim))

    def days_to_pay(self, stage: str, on: dt.date) -> int:
        return int(self.book.value(country=self.country, rule=f"days.{stage}", on=on))

    def interest_rates(self, claim: Claim) -> list[tuple[dt.date, Decimal]]:
        """Statutory rate rows; a contractual rate agreed with a business customer replaces
        them (consumers always get the statutory rate, the one the law protects them with)."""
        if claim.contractual_rate is not None and claim.debtor_kind == "business":
            return [(dt.date(1900, 1, 1), claim.contractual_rate)]
        return self.book.rates(country=self.country, debtor_kind=claim.debtor_kind)

    def application_fee(self, on: dt.date, claim: Claim) -> Decimal:
        return self._value("fee.enforcement_application", on, claim)
