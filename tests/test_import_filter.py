"""The import filter, setting by setting (issue 8, item 6): each row is the settings, the
invoice and the reason code it is skipped for (None: imported). The filter takes plain records,
so these rows need no database; the last tests load the same rules from the database."""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from creditors.import_filter import Band, ImportRules, Override, SkipCode
from creditors.import_settings import import_amount_set, import_override_set
from creditors.models import ImportFilter, ImportFilterOverride, Membership
from creditors.services import SettingsError
from integrations.base import ErpCustomer, ErpInvoice

D = Decimal
TODAY = dt.date(2026, 11, 4)
K = SkipCode


@dataclass(frozen=True)
class Customer:
    erp_id: str = "c1"
    customer_class: str = "Bedrift"
    collection_prohibited: bool = False


@dataclass(frozen=True)
class Inv:
    customer: Customer = field(default_factory=Customer)
    due_date: dt.date = TODAY - dt.timedelta(days=20)
    currency: str = "NOK"
    outstanding: Decimal = D("1000.00")
    is_credit_note: bool = False
    collection_prohibited: bool = False
    disputed: bool = False


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


BASE = {"days_after_due": 14, "currencies": frozenset({"NOK"}), "default_band": Band(D(100), None)}
C1, BEDRIFT = "c1", "Bedrift"


def cust(**kw):
    return {C1: Override(**kw)}


def klass(name=BEDRIFT, **kw):
    return {name: Override(**kw)}


# id, settings (over BASE), invoice changes, expected reason (None: imported)
ROWS = [
    ("defaults import", {}, {}, None),
    # the filter switched off
    ("import off", {"enabled": False}, {}, K.IMPORT_OFF),
    # nothing to collect
    ("credit note", {}, {"is_credit_note": True}, K.NOTHING_OUTSTANDING),
    ("nothing outstanding", {}, {"outstanding": D("0")}, K.NOTHING_OUTSTANDING),
    # days after due date (the creditor's)
    ("13 days past due", {}, {"due_date": days_ago(13)}, K.NOT_OVERDUE_LONG_ENOUGH),
    ("14 days past due", {}, {"due_date": days_ago(14)}, None),
    ("not due yet", {}, {"due_date": days_ago(-7)}, K.NOT_OVERDUE_LONG_ENOUGH),
    ("creditor's 30 days", {"days_after_due": 30}, {}, K.NOT_OVERDUE_LONG_ENOUGH),
    ("creditor's 0 days: the day after due", {"days_after_due": 0}, {"due_date": days_ago(1)},
     None),
    ("creditor's 0 days: not on the due day", {"days_after_due": 0}, {"due_date": TODAY},
     K.NOT_OVERDUE_LONG_ENOUGH),
    # earliest due date
    ("due before earliest", {"earliest_due_date": days_ago(19)}, {}, K.DUE_BEFORE_EARLIEST),
    ("due on earliest", {"earliest_due_date": days_ago(20)}, {}, None),
    # the backlog: overdue at activation, reached back for: at once, whatever the days
    ("backlog ignores days",
     {"activated_on": days_ago(2), "earliest_due_date": days_ago(60)},
     {"due_date": days_ago(3)}, None),
    ("due after activation is no backlog",
     {"activated_on": days_ago(5), "earliest_due_date": days_ago(60)},
     {"due_date": days_ago(3)}, K.NOT_OVERDUE_LONG_ENOUGH),
    ("no reach-back, no backlog", {"activated_on": days_ago(2)}, {"due_date": days_ago(3)},
     K.NOT_OVERDUE_LONG_ENOUGH),
    ("backlog before earliest",
     {"activated_on": days_ago(2), "earliest_due_date": days_ago(10)},
     {"due_date": days_ago(11)}, K.DUE_BEFORE_EARLIEST),
    ("backlog keeps the amounts",
     {"activated_on": days_ago(2), "earliest_due_date": days_ago(60)},
     {"due_date": days_ago(3), "outstanding": D("99.99")}, K.BELOW_MIN_AMOUNT),
    # minimum and maximum amount (the creditor's default band)
    ("below min", {}, {"outstanding": D("99.99")}, K.BELOW_MIN_AMOUNT),
    ("at min", {}, {"outstanding": D("100.00")}, None),
    ("no max", {}, {"outstanding": D("9999999.00")}, None),
    ("above max", {"default_band": Band(D(100), D(5000))}, {"outstanding": D("5000.01")},
     K.ABOVE_MAX_AMOUNT),
    ("at max", {"default_band": Band(D(100), D(5000))}, {"outstanding": D("5000.00")}, None),
    # per currency: a currency's own band replaces the default band for it
    ("currency band max",
     {"currencies": frozenset({"NOK", "EUR"}), "bands": {"EUR": Band(D(10), D(500))}},
     {"currency": "EUR", "outstanding": D("600")}, K.ABOVE_MAX_AMOUNT),
    ("currency band min",
     {"currencies": frozenset({"NOK", "EUR"}), "bands": {"EUR": Band(D(10), D(500))}},
     {"currency": "EUR", "outstanding": D("5")}, K.BELOW_MIN_AMOUNT),
    ("currency band inside",
     {"currencies": frozenset({"NOK", "EUR"}), "bands": {"EUR": Band(D(10), D(500))}},
     {"currency": "EUR", "outstanding": D("50")}, None),
    ("other currency keeps the default band",
     {"currencies": frozenset({"NOK", "EUR"}), "bands": {"EUR": Band(D(10), D(500))}},
     {"outstanding": D("600")}, None),
    # currencies the channel does not take
    ("foreign currency", {}, {"currency": "SEK"}, K.CURRENCY_NOT_ACCEPTED),
    ("foreign currency, even with a band", {"bands": {"SEK": Band()}}, {"currency": "SEK"},
     K.CURRENCY_NOT_ACCEPTED),
    # collection prohibition and disputes
    ("customer do-not-collect", {}, {"customer": Customer(collection_prohibited=True)},
     K.COLLECTION_PROHIBITED),
    ("invoice do-not-collect", {}, {"collection_prohibited": True}, K.COLLECTION_PROHIBITED),
    ("prohibition beats a generous customer setting", {"by_customer": cust(days_after_due=0)},
     {"collection_prohibited": True}, K.COLLECTION_PROHIBITED),
    ("disputed", {}, {"disputed": True}, K.DISPUTED),
    # customer class over the creditor
    ("class days", {"by_class": klass(days_after_due=30)}, {}, K.NOT_OVERDUE_LONG_ENOUGH),
    ("class min", {"by_class": klass(min_amount=D(5000))}, {}, K.BELOW_MIN_AMOUNT),
    ("class max", {"by_class": klass(max_amount=D(500))}, {}, K.ABOVE_MAX_AMOUNT),
    ("class lowers days", {"by_class": klass(days_after_due=3)}, {"due_date": days_ago(5)}, None),
    ("another class's setting", {"by_class": klass("Privat", days_after_due=30)}, {}, None),
    # customer over class
    ("customer days over class",
     {"by_customer": cust(days_after_due=10), "by_class": klass(days_after_due=30)}, {}, None),
    ("customer min over class",
     {"by_customer": cust(min_amount=D(500)), "by_class": klass(min_amount=D(5000))}, {}, None),
    ("customer max over class",
     {"by_customer": cust(max_amount=D(2000)), "by_class": klass(max_amount=D(500))}, {}, None),
    ("customer stricter than class",
     {"by_customer": cust(days_after_due=30), "by_class": klass(days_after_due=3)}, {},
     K.NOT_OVERDUE_LONG_ENOUGH),
    ("customer's unset setting comes from the class",
     {"by_customer": cust(days_after_due=10), "by_class": klass(min_amount=D(5000))}, {},
     K.BELOW_MIN_AMOUNT),
    ("another customer's setting",
     {"by_customer": {"c2": Override(days_after_due=30)}}, {}, None),
    # excluded customers: exclusion beats everything
    ("excluded customer", {"by_customer": cust(excluded=True)}, {}, K.EXCLUDED_CUSTOMER),
    ("excluded class", {"by_class": klass(excluded=True)}, {}, K.EXCLUDED_CUSTOMER),
    ("excluded class beats the customer's own settings",
     {"by_customer": cust(days_after_due=0, min_amount=D(0)), "by_class": klass(excluded=True)},
     {}, K.EXCLUDED_CUSTOMER),
    ("exclusion beats prohibition, dispute, currency, dates and amounts",
     {"by_customer": cust(excluded=True), "earliest_due_date": days_ago(5)},
     {"customer": Customer(collection_prohibited=True), "disputed": True, "currency": "SEK",
      "outstanding": D("1"), "due_date": days_ago(1)}, K.EXCLUDED_CUSTOMER),
    ("exclusion beats the backlog",
     {"by_customer": cust(excluded=True), "activated_on": days_ago(2),
      "earliest_due_date": days_ago(60)}, {"due_date": days_ago(3)}, K.EXCLUDED_CUSTOMER),
]  # fmt: skip


@pytest.mark.parametrize(("config", "changes", "expected"), [r[1:] for r in ROWS],
                         ids=[r[0] for r in ROWS])  # fmt: skip
def test_import_filter_row(config, changes, expected):
    rules = ImportRules(**{**BASE, **config})
    skip = rules.skip_reason(replace(Inv(), **changes), TODAY)
    assert (skip.code if skip else None) == expected, skip and skip.message


def test_every_setting_and_reason_has_a_row():
    assert {r[3] for r in ROWS} - {None} == set(SkipCode)
    assert {k for r in ROWS for k in r[1]} >= {
        "enabled",
        "days_after_due",
        "earliest_due_date",
        "activated_on",
        "currencies",
        "default_band",
        "bands",
        "by_customer",
        "by_class",
    }


def test_the_message_says_where_the_setting_came_from():
    rules = ImportRules(**BASE, by_class=klass(days_after_due=30))
    assert "customer class Bedrift" in rules.skip_reason(Inv(), TODAY).message
    rules = ImportRules(**BASE, by_customer=cust(min_amount=D(5000)))
    message = rules.skip_reason(Inv(), TODAY).message
    assert "5000 NOK" in message and "customer setting" in message


def test_backlog_is_only_what_was_overdue_at_activation_and_reached_back_for():
    rules = ImportRules(**BASE, activated_on=days_ago(2), earliest_due_date=days_ago(60))
    assert rules.is_backlog(Inv(due_date=days_ago(3)))
    assert not rules.is_backlog(Inv(due_date=days_ago(2)))  # due on the day of activation
    assert not ImportRules(**BASE, activated_on=days_ago(2)).is_backlog(Inv())


def test_the_erp_record_is_such_a_record():
    """integrations.base.ErpInvoice carries every field the filter reads."""
    customer = ErpCustomer(erp_id="c1", number="1", name="Kari", customer_class="Privat")
    invoice = ErpInvoice(
        erp_id="1",
        number="1",
        customer=customer,
        invoice_date=days_ago(30),
        due_date=days_ago(20),
        currency="NOK",
        amount=D("1000"),
        outstanding=D("1000"),
    )
    assert ImportRules(**BASE).skip_reason(invoice, TODAY) is None
    assert ImportRules(**BASE).skip_reason(replace(invoice, disputed=True), TODAY).code == (
        K.DISPUTED
    )
    rules = ImportRules(**BASE, by_class=klass("Privat", excluded=True))
    assert rules.skip_reason(invoice, TODAY).code == K.EXCLUDED_CUSTOMER


# --- the same rules from the database -------------------------------------------------------


@pytest.mark.django_db
def test_rules_load_once_whatever_the_number_of_overrides(make_creditor, make_user):
    creditor = make_creditor(country="NO")
    admin = make_user(creditor, role=Membership.Role.ADMIN)
    ImportFilter.objects.filter(creditor=creditor).update(days_after_due=10, min_amount=D(100))
    import_amount_set(creditor=creditor, actor=admin, currency="nok", min_amount=D(200))
    import_override_set(creditor=creditor, actor=admin, customer_class=BEDRIFT, days_after_due=30)
    import_override_set(creditor=creditor, actor=admin, customer_erp_id=C1, days_after_due=15)
    for n in range(50):
        import_override_set(creditor=creditor, actor=admin, customer_erp_id=f"x{n}", excluded=True)

    with CaptureQueriesContext(connection) as queries:
        rules = ImportRules.for_creditor(creditor)
        reasons = [rules.skip_reason(Inv(due_date=days_ago(n)), TODAY) for n in range(40)]
    assert len(queries) == 3  # the filter, its amounts, the overrides: none per invoice

    assert rules.currencies == {"NOK"}
    assert rules.bands["NOK"] == Band(D("200.00"), None)
    assert len(rules.by_customer) == 51
    assert [n for n, r in enumerate(reasons) if r is None] == list(range(15, 40))  # customer's 15
    assert rules.skip_reason(Inv(outstanding=D("150")), TODAY).code == K.BELOW_MIN_AMOUNT
    other = Inv(customer=Customer(erp_id="c9"), due_date=days_ago(20))
    assert rules.skip_reason(other, TODAY).code == K.NOT_OVERDUE_LONG_ENOUGH  # class's 30
    excluded = Inv(customer=Customer(erp_id="x7"))
    assert rules.skip_reason(excluded, TODAY).code == K.EXCLUDED_CUSTOMER


@pytest.mark.django_db
def test_override_set_twice_changes_it_and_refuses_nonsense(make_creditor, make_user):
    creditor = make_creditor()
    admin = make_user(creditor, role=Membership.Role.ADMIN)
    first = import_override_set(creditor=creditor, actor=admin, customer_erp_id="c1", excluded=True)
    again = import_override_set(
        creditor=creditor, actor=admin, customer_erp_id="c1", excluded=False, days_after_due=3
    )
    assert again.pk == first.pk
    assert ImportFilterOverride.objects.for_creditor(creditor).count() == 1
    with pytest.raises(SettingsError):
        import_override_set(
            creditor=creditor, actor=admin, customer_erp_id="c2", customer_class="Privat"
        )
    with pytest.raises(SettingsError):
        import_override_set(creditor=creditor, actor=admin, excluded=True)  # neither
    with pytest.raises(SettingsError):
        import_override_set(
            creditor=creditor, actor=admin, customer_class="Privat", min_amount=9, max_amount=1
        )
    with pytest.raises(SettingsError):
        import_amount_set(creditor=creditor, actor=admin, currency="kr", min_amount=1)
    user = make_user(creditor)  # a creditor user may not change settings
    with pytest.raises(PermissionDenied):
        import_override_set(creditor=creditor, actor=user, customer_class="Privat")
