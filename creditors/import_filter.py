"""The import filter: which of a creditor's overdue ERP invoices become cases (the Visma.net
guide's "importfilter": days after due date, earliest due date and the backlog, amounts per
currency, settings per customer and per customer class, excluded customers).

Built for a stream of thousands of invoices: `ImportRules.for_creditor` reads the creditor's whole
rule set in three queries, then `skip_reason` is a pure function of one plain record and the day,
with no query and no import of the ERP layer (any object with the fields of `InvoiceRecord`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from creditors.models import ImportFilter, ImportFilterAmount, ImportFilterOverride


class CustomerRecord(Protocol):
    @property
    def erp_id(self) -> str: ...
    @property
    def customer_class(self) -> str: ...
    @property
    def collection_prohibited(self) -> bool: ...


class InvoiceRecord(Protocol):
    """What the filter reads of an invoice (integrations.base.ErpInvoice has these fields)."""

    @property
    def customer(self) -> CustomerRecord: ...
    @property
    def due_date(self) -> dt.date: ...
    @property
    def currency(self) -> str: ...
    @property
    def outstanding(self) -> Decimal: ...
    @property
    def is_credit_note(self) -> bool: ...
    @property
    def collection_prohibited(self) -> bool: ...
    @property
    def disputed(self) -> bool: ...


class SkipCode(StrEnum):
    """Stable reason codes: counted on the import run (SyncRun.skipped_by_reason) and shown."""

    IMPORT_OFF = "import_off"
    NOTHING_OUTSTANDING = "nothing_outstanding"
    EXCLUDED_CUSTOMER = "excluded_customer"
    COLLECTION_PROHIBITED = "collection_prohibited"
    DISPUTED = "disputed"
    CURRENCY_NOT_ACCEPTED = "currency_not_accepted"
    DUE_BEFORE_EARLIEST = "due_before_earliest"
    NOT_OVERDUE_LONG_ENOUGH = "not_overdue_long_enough"
    BELOW_MIN_AMOUNT = "below_min_amount"
    ABOVE_MAX_AMOUNT = "above_max_amount"


SKIP_LABELS = {
    SkipCode.IMPORT_OFF: _("import switched off"),
    SkipCode.NOTHING_OUTSTANDING: _("nothing outstanding"),
    SkipCode.EXCLUDED_CUSTOMER: _("excluded customer"),
    SkipCode.COLLECTION_PROHIBITED: _("collection prohibited"),
    SkipCode.DISPUTED: _("disputed"),
    SkipCode.CURRENCY_NOT_ACCEPTED: _("currency not accepted"),
    SkipCode.DUE_BEFORE_EARLIEST: _("due before the earliest due date"),
    SkipCode.NOT_OVERDUE_LONG_ENOUGH: _("not overdue long enough yet"),
    SkipCode.BELOW_MIN_AMOUNT: _("below the minimum amount"),
    SkipCode.ABOVE_MAX_AMOUNT: _("above the maximum amount"),
}


@dataclass(frozen=True)
class Skip:
    code: SkipCode
    message: str  # for people: what the setting was and where it came from


@dataclass(frozen=True)
class Band:
    min_amount: Decimal = Decimal("0")
    max_amount: Decimal | None = None


@dataclass(frozen=True)
class Override:
    """A customer's or customer class's own settings; None inherits the next level's."""

    excluded: bool = False
    days_after_due: int | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None


NO_OVERRIDE = Override()


def _frozen(d: Mapping | None) -> Mapping:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True)
class ImportRules:
    enabled: bool = True
    days_after_due: int = 14
    earliest_due_date: dt.date | None = None
    # The day the creditor was activated (local): invoices due before it are the backlog.
    activated_on: dt.date | None = None
    # The currencies the creditor's channel collects in: letters, payment references and
    # settlements are in the country's currency, so a foreign-currency invoice is refused.
    currencies: frozenset[str] = frozenset()
    default_band: Band = Band()
    bands: Mapping[str, Band] = field(default_factory=dict)  # by currency
    by_customer: Mapping[str, Override] = field(default_factory=dict)  # by customer erp id
    by_class: Mapping[str, Override] = field(default_factory=dict)  # by customer class

    def __post_init__(self):
        for name in ("bands", "by_customer", "by_class"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    @classmethod
    def for_creditor(cls, creditor) -> ImportRules:
        """The creditor's whole rule set, read once per run (three queries)."""
        rules = ImportFilter.objects.get_or_create(creditor=creditor)[0]
        bands = {
            a.currency: Band(a.min_amount, a.max_amount)
            for a in ImportFilterAmount.objects.filter(import_filter=rules)
        }
        by_customer, by_class = {}, {}
        for o in ImportFilterOverride.objects.for_creditor(creditor):
            override = Override(o.excluded, o.days_after_due, o.min_amount, o.max_amount)
            if o.customer_erp_id:
                by_customer[o.customer_erp_id] = override
            else:
                by_class[o.customer_class] = override
        return cls(
            enabled=rules.enabled,
            days_after_due=rules.days_after_due,
            earliest_due_date=rules.earliest_due_date,
            activated_on=activation_day(creditor),
            currencies=frozenset({creditor.currency}),
            default_band=Band(rules.min_amount, rules.max_amount),
            bands=bands,
            by_customer=by_customer,
            by_class=by_class,
        )

    def is_backlog(self, invoice: InvoiceRecord) -> bool:
        """Overdue already at activation, and the creditor chose to reach back for it (an
        earliest due date before activation, as the guide has it). Such an invoice is imported
        at once, whatever the days setting, and its case's reminder carries no fee: the
        creditor may have sent its own, and one fee-bearing reminder per invoice is the most."""
        return (
            self.activated_on is not None
            and self.earliest_due_date is not None
            and invoice.due_date < self.activated_on
        )

    def skip_reason(self, invoice: InvoiceRecord, today: dt.date) -> Skip | None:
        """None when the invoice is to be imported, else why not. Exclusion beats everything;
        then a customer's own setting beats its class's, which beats the creditor's."""
        if not self.enabled:
            return Skip(SkipCode.IMPORT_OFF, "the import is switched off")
        if invoice.is_credit_note or invoice.outstanding <= 0:
            return Skip(SkipCode.NOTHING_OUTSTANDING, "nothing outstanding")
        customer = invoice.customer
        mine = self.by_customer.get(customer.erp_id, NO_OVERRIDE)
        klass = self.by_class.get(customer.customer_class, NO_OVERRIDE)
        if mine.excluded or klass.excluded:
            where = "customer" if mine.excluded else f"customer class {customer.customer_class}"
            return Skip(SkipCode.EXCLUDED_CUSTOMER, f"{where} excluded from collection")
        if customer.collection_prohibited or invoice.collection_prohibited:
            what = "customer" if customer.collection_prohibited else "invoice"
            return Skip(SkipCode.COLLECTION_PROHIBITED, f"the {what} is marked do not collect")
        if invoice.disputed:
            return Skip(SkipCode.DISPUTED, "the invoice is disputed")
        if invoice.currency not in self.currencies:
            accepted = ", ".join(sorted(self.currencies)) or "none"
            return Skip(
                SkipCode.CURRENCY_NOT_ACCEPTED,
                f"currency {invoice.currency} is not collected here (accepted: {accepted})",
            )
        if self.earliest_due_date and invoice.due_date < self.earliest_due_date:
            return Skip(SkipCode.DUE_BEFORE_EARLIEST, f"due before {self.earliest_due_date}")
        band = self.bands.get(invoice.currency, self.default_band)
        days, days_from = _pick("days_after_due", mine, klass, self.days_after_due, customer)
        overdue = (today - invoice.due_date).days
        if (overdue < 1 or overdue < days) and not self.is_backlog(invoice):
            return Skip(
                SkipCode.NOT_OVERDUE_LONG_ENOUGH, f"less than {days} days past due ({days_from})"
            )
        low, low_from = _pick("min_amount", mine, klass, band.min_amount, customer)
        if invoice.outstanding < low:
            return Skip(
                SkipCode.BELOW_MIN_AMOUNT,
                f"below the minimum amount {low} {invoice.currency} ({low_from})",
            )
        high, high_from = _pick("max_amount", mine, klass, band.max_amount, customer)
        if high is not None and invoice.outstanding > high:
            return Skip(
                SkipCode.ABOVE_MAX_AMOUNT,
                f"above the maximum amount {high} {invoice.currency} ({high_from})",
            )
        return None


def _pick(name: str, mine: Override, klass: Override, default, customer):
    """The setting and where it came from: the customer's, else its class's, else the
    creditor's."""
    if getattr(mine, name) is not None:
        return getattr(mine, name), "customer setting"
    if getattr(klass, name) is not None:
        return getattr(klass, name), f"customer class {customer.customer_class}"
    return default, "creditor setting"


def activation_day(creditor) -> dt.date | None:
    """The creditor's local day of activation (of signing, for a creditor activated before the
    activation time was recorded)."""
    moment = creditor.activated_at or creditor.agreement_signed_at
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(creditor.time_zone)).date()
