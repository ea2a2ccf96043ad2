import datetime as dt
import itertools
from decimal import Decimal

import pytest

_seq = itertools.count(1)


def pytest_collection_modifyitems(items):
    """Every transactional test (browser tests included) rolls back by serialization. The rule
    book comes from a data migration: a plain flush after such a test would delete it, and its
    post-migrate step re-creates content types that the next serialized restore collides with."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        live = "live_server" in getattr(item, "fixturenames", ())
        if (kwargs.get("transaction") or live) and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs))


@pytest.fixture(autouse=True)
def _rule_book(request):
    """The rule book is there for every test that uses the database. A serialized restore after
    a live-server test on in-memory SQLite can come back without it (the connection that held
    the serialized copy is gone), so an empty table is loaded again from the researched rows."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("db")
    from cases.models import RuleValue
    from cases.rules import load_rule_tables

    if not RuleValue.objects.exists():
        load_rule_tables()


@pytest.fixture(autouse=True)
def _media_and_eager_tasks(request, settings, tmp_path):
    """Letters go to a temporary folder; tasks run in-process unless a test asks for a worker."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from autocollect.celery import app

    eager = request.node.get_closest_marker("celery_worker") is None
    old = app.conf.task_always_eager
    app.conf.task_always_eager = eager or old
    yield
    app.conf.task_always_eager = old


@pytest.fixture(autouse=True)
def _fresh_erp_sessions():
    """Each test's emulator is new (often on a reused port): start without cached sessions
    or tokens, and with the rate-limit buckets full."""
    from integrations.http import forget_process_state

    forget_process_state()


@pytest.fixture(autouse=True)
def _language_reset():
    """Django's LocaleMiddleware activates a request's language in the thread and never takes it
    back; the test client shares the thread, so a Finnish page would leave later tests in
    Finnish. Each test starts and ends in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def client():
    """Django's test client as an English browser: with no language chosen the portal answers in
    the browser's (autocollect.locale), else the creditor's; tests of another language say so."""
    from django.test import Client

    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def make_creditor(db):
    from creditors.models import AccountSetup, Creditor, ImportFilter
    from nordic.countries import COUNTRIES

    def make(name=None, *, country="NO", erp_connection=None, status="active", **extra):
        n = next(_seq)
        creditor = Creditor.objects.create(
            legal_name=name or f"Creditor {n} AS",
            org_number=f"9{n:08d}",
            country=country,
            currency=COUNTRIES[country].currency,
            time_zone=COUNTRIES[country].time_zone,
            erp_kind="tripletex",
            erp_connection=erp_connection or {},
            status=status,
            address_line1="Storgata 1",
            postal_code="0155",
            city="Oslo",
            **extra,
        )
        ImportFilter.objects.create(creditor=creditor)
        AccountSetup.objects.create(creditor=creditor)
        return creditor

    return make


@pytest.fixture
def make_case(db):
    from cases.models import Debtor, Invoice
    from cases.services import case_open

    def make(
        creditor,
        *,
        amount=Decimal("1000.00"),
        due=dt.date(2026, 10, 1),
        today=dt.date(2026, 11, 2),
        kind="business",
    ):
        n = next(_seq)
        debtor = Debtor.objects.create(
            creditor=creditor,
            erp_id=f"c{n}",
            name=f"Debtor {n}",
            kind=kind,
            address_line1="Kirkeveien 2",
            postal_code="0368",
            city="Oslo",
            country="NO",
        )
        invoice = Invoice.objects.create(
            creditor=creditor,
            debtor=debtor,
            erp_id=f"i{n}",
            number=str(10000 + n),
            invoice_date=due - dt.timedelta(days=14),
            due_date=due,
            currency=creditor.currency,
            original_amount=amount,
            outstanding_amount=amount,
        )
        return case_open(creditor=creditor, debtor=debtor, invoices=[invoice], today=today)

    return make


@pytest.fixture
def make_user(db, django_user_model):
    from creditors.models import Membership

    def make(*creditors, username=None, staff=False, role="user"):
        user = django_user_model.objects.create_user(
            username=username or f"user{next(_seq)}", password="pw-for-tests-1", is_staff=staff
        )
        for creditor in creditors:  # role: "user" or "admin" (creditors.permissions)
            Membership.objects.create(user=user, creditor=creditor, role=role)
        return user

    return make


@pytest.fixture
def tripletex():
    """A fresh Tripletex emulator with the demo companies, served over real HTTP on 127.0.0.1."""
    from integrations.emulation.testing import running
    from integrations.tripletex.emulator import TripletexEmulator, seed_demo

    with running(TripletexEmulator(), seed=lambda e: seed_demo(e, TT_TODAY)) as emulator:
        yield emulator  # .url, .seeded


# The emulator's demo data is laid out relative to this day (a Wednesday with no holiday near).
TT_TODAY = dt.date(2026, 11, 4)


@pytest.fixture
def tripletex_connection(tripletex):
    def connection(company_index=0, **extra):
        company = tripletex.seeded["companies"][company_index]
        return {
            "base_url": tripletex.url,
            "employee_token": company["employee_token"],
            "company_id": 0,
            **extra,
        }

    return connection
