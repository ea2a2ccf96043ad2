"""The emulator kit's fixture factory (integrations.emulation.fixtures): numbers and references
that the country's own checks accept, the same data for the same `today` (in another process
too), bulk invoices spread over the customers from a generator that keeps nothing, and the
Tripletex and Visma.net bulk seeds built from it served over HTTP into the real import."""

import datetime as dt
import inspect
import subprocess
import sys
import tracemalloc
from collections import Counter
from decimal import Decimal

import pytest
from stdnum.fi import hetu
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

from cases.models import Debtor, Invoice
from collection.models import SyncRun
from collection.sync import creditor_sync
from integrations.emulation import fixtures
from integrations.emulation.fixtures import OVERDUE_DAYS, Segment, customers, invoices
from integrations.emulation.testing import running
from integrations.http import forget_process_state
from integrations.tripletex.emulator import TripletexEmulator
from integrations.tripletex.emulator.seed import seed_bulk as tripletex_bulk
from integrations.visma.emulator import VismaEmulator
from integrations.visma.emulator import seed_bulk as visma_bulk
from integrations.visma.mapping import is_personal_number
from nordic.countries import COUNTRIES
from nordic.formatting import format_postal_code
from nordic.money import money
from nordic.orgnumbers import validate_org_number
from nordic.references import validate_fi_reference, validate_kid, validate_se_ocr
from tests.conftest import TT_TODAY

TODAY = dt.date(2026, 11, 25)
PERSONAL_IDS = {"SE": personnummer, "NO": fodselsnummer, "FI": hetu}
REFERENCE_CHECKS = {
    "NO": lambda ref: validate_kid(ref, algorithm="MOD10"),
    "SE": lambda ref: validate_se_ocr(ref, length_digit=True),
    "FI": validate_fi_reference,
}
POSTAL_DIGITS = {"NO": 4, "SE": 5, "FI": 5}


@pytest.mark.parametrize("country", ["NO", "SE", "FI"])
def test_customers_carry_the_countrys_valid_numbers_and_its_formats(country):
    people = customers(country, 600)
    businesses = [c for c in people if not c.is_private]
    consumers = [c for c in people if c.is_private]
    assert len(consumers) == 200 and {c.segment for c in businesses} == {
        Segment.BUSINESS,
        Segment.KEY_ACCOUNT,
    }
    for c in businesses:
        assert validate_org_number(country, c.org_number) == c.org_number and not c.personal_id
    for c in consumers:
        assert PERSONAL_IDS[country].is_valid(c.personal_id), c.personal_id
        assert not c.org_number
    if country == "SE":  # Visma.net tells consumers by a personal number as corporate id
        assert not any(is_personal_number(c.org_number) for c in businesses)
        assert all(is_personal_number(c.personal_id) for c in consumers)
    assert len({c.org_number for c in businesses}) == len(businesses)
    assert len({c.personal_id for c in consumers}) == len(consumers)
    assert len({c.name for c in businesses}) == len(businesses)  # a register's names are unique
    assert [c.number for c in people] == list(range(10_001, 10_601))
    for c in people:
        assert c.address.country == country and c.language == COUNTRIES[country].language
        code = c.address.postal_code
        assert code.isdigit() and len(code) == POSTAL_DIGITS[country]
        assert "@" in c.email and c.email.isascii() and c.address.city and c.address.street
    if country == "SE":
        assert format_postal_code("SE", people[0].address.postal_code) == "111 22"


@pytest.mark.parametrize("country", ["NO", "SE", "FI"])
def test_companies_have_valid_org_numbers_apart_from_their_customers(country):
    companies = [fixtures.company(country, i) for i in range(300)]
    numbers = {c.org_number for c in companies}
    assert len(numbers) == 300
    assert all(validate_org_number(country, n) == n for n in numbers)
    assert not numbers & {c.org_number for c in customers(country, 300)}
    facts = COUNTRIES[country]
    assert {(c.currency, c.language) for c in companies} == {(facts.currency, facts.language)}


def test_org_number_completes_a_body_as_the_demo_seeds_need_it():
    assert fixtures.org_number("NO", "91234560") == "912345602"  # Masse Faktura AS
    assert fixtures.org_number("SE", "556677889") == "5566778899"  # Norrsken Bygg AB
    assert fixtures.org_number("FI", "1572860") == "15728600"  # Saimaan Sähkö Oy
    # The Tripletex demo's, as it showed them before the seed used the factory.
    assert fixtures.org_number("NO", "93155872") == "931558722"  # Vidde Regnskap AS
    assert fixtures.org_number("NO", "92431876") == "924318767"  # Bryggen Eiendom AS
    with pytest.raises(ValueError, match="no valid NO organisation number"):
        fixtures.org_number("NO", "91234567")  # its MOD11 check would be 10


@pytest.mark.parametrize("country", ["NO", "SE", "FI"])
def test_invoices_carry_a_valid_reference_in_the_countrys_currency(country):
    people = customers(country, 30)
    for invoice in invoices(people, TODAY, 400):
        customer = invoice.customer
        assert REFERENCE_CHECKS[country](invoice.reference) == invoice.reference
        assert invoice.reference == fixtures.invoice_reference(
            country, customer.number, invoice.number
        )
        assert invoice.currency == COUNTRIES[country].currency
        assert invoice.amount == money(invoice.amount, invoice.currency) > 0
        assert invoice.issue_date == invoice.due_date - dt.timedelta(
            days=14 if customer.is_private else 30
        )
    # References are the invoice's own: no two alike.
    assert len({i.reference for i in invoices(people, TODAY, 400)}) == 400


def test_the_tripletex_demo_kid_is_the_factorys_reference():
    """The demo seed's KIDs as it showed them before it used the factory (Fjordvik's first
    invoices: customer 10001 invoice 1001, customer 10002 invoice 1002)."""
    assert fixtures.invoice_reference("NO", 10001, 1001) == "100010010013"
    assert fixtures.invoice_reference("NO", 10002, 1002) == "100020010029"


def test_bulk_invoices_are_spread_over_the_customers_and_overdue():
    people = customers("NO", 70)
    bulk = invoices(people, TODAY, 1000)
    assert inspect.isgenerator(bulk)
    made = list(bulk)
    assert [i.number for i in made] == list(range(100_001, 101_001))
    per_customer = Counter(i.customer.number for i in made)
    assert len(per_customer) == 70 and set(per_customer.values()) == {14, 15}  # 1000 = 70*14+20
    overdue = {(TODAY - i.due_date).days for i in made}
    low, high = OVERDUE_DAYS
    assert overdue == set(range(low, high + 1))  # every day of the window, none outside
    assert len({i.amount for i in made}) > 500
    with pytest.raises(ValueError):
        next(invoices([], TODAY, 1))


def test_bulk_invoices_are_made_as_they_are_read():
    """Memory stays flat: reading 20 000 invoices keeps what one takes, not what 20 000 take."""
    people = customers("SE", 100)
    tracemalloc.start()
    try:
        count = sum(1 for _ in invoices(people, TODAY, 20_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 200_000, peak  # a list of them would be some 10 MB


def test_the_same_today_gives_the_same_data_in_another_process():
    def sample(today):
        people = customers("FI", 40) + customers("SE", 40) + customers("NO", 40)
        return repr((people, list(invoices(people, today, 300)), fixtures.company("NO", 3)))

    here = sample(TODAY)
    assert sample(TODAY) == here
    later = list(invoices(customers("NO", 5), TODAY + dt.timedelta(days=7), 50))
    assert [TODAY + dt.timedelta(days=7) - i.due_date for i in later] == [
        TODAY - i.due_date for i in invoices(customers("NO", 5), TODAY, 50)
    ]
    code = (
        "import datetime as dt\n"
        "from integrations.emulation.fixtures import company, customers, invoices\n"
        "people = customers('FI', 40) + customers('SE', 40) + customers('NO', 40)\n"
        "print(repr((people, list(invoices(people, dt.date(2026, 11, 25), 300)), "
        "company('NO', 3))))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="."
    )
    assert other.stdout.strip() == here


def _expected(people, today, count) -> dict:
    return {str(i.number): i for i in invoices(people, today, count)}


def _assert_imported(creditor, expected: dict, check_reference) -> None:
    stored = Invoice.objects.filter(creditor=creditor).select_related("debtor", "case")
    assert len(stored) == len(expected)
    for row in stored:
        made = expected[row.number]
        who = made.customer
        assert (row.original_amount, row.outstanding_amount, row.currency) == (
            made.amount,
            made.amount,
            made.currency,
        )
        assert (row.invoice_date, row.due_date, row.case_id is not None) == (
            made.issue_date,
            made.due_date,
            True,
        )
        check_reference(row, made)
        debtor = row.debtor
        assert (debtor.name, debtor.kind == "consumer") == (who.name, who.is_private)
        assert debtor.identity_number in (who.org_number, who.personal_id)
        assert (debtor.postal_code, debtor.city) == (who.address.postal_code, who.address.city)


@pytest.mark.django_db
def test_the_tripletex_bulk_seed_serves_the_factorys_invoices_to_the_import(make_creditor):
    with running(TripletexEmulator(), seed=lambda e: tripletex_bulk(e, TT_TODAY, 300)) as erp:
        token = erp.seeded["companies"][0]["employee_token"]
        creditor = make_creditor(
            erp_connection={"base_url": erp.url, "employee_token": token, "page_size": 100}
        )
        run = creditor_sync(creditor=creditor, today=TT_TODAY)
    assert (run.status, run.seen, run.imported) == (SyncRun.Status.OK, 300, 300), run.error

    def kid(row, made):
        assert row.erp_payment_reference == made.reference

    _assert_imported(creditor, _expected(customers("NO", 30), TT_TODAY, 300), kid)
    debtors = Debtor.objects.filter(creditor=creditor)
    assert debtors.count() == 30
    # Tripletex carries no personal number: a consumer's debtor has no identity number.
    assert {d.identity_number for d in debtors if d.kind == "consumer"} == {""}


@pytest.mark.django_db
def test_the_visma_bulk_seed_serves_the_factorys_invoices_to_the_import(monkeypatch):
    from creditors.models import AccountSetup, Creditor, ImportFilter

    # The write-backs the import queues are not what this test reads.
    monkeypatch.setattr("collection.tasks.write_case_reference.delay", lambda *a: None)
    monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
    forget_process_state()  # a new emulator on a reused port knows no earlier token
    seed = lambda e: visma_bulk(e, TODAY, 300, customers=30)  # noqa: E731
    with running(VismaEmulator(), seed=seed) as erp:
        tenant = erp.seeded["companies"][0]["tenant_id"]
        creditor = Creditor.objects.create(
            legal_name="Massfaktura AB",
            org_number="5566778899",
            country="SE",
            currency="SEK",
            time_zone="Europe/Stockholm",
            erp_kind="visma",
            erp_connection={
                "tenant_id": tenant,
                "base_url": erp.url,
                "token_url": f"{erp.url}/connect/token",
                "page_size": 100,
            },
            status="active",
        )
        ImportFilter.objects.create(creditor=creditor)
        AccountSetup.objects.create(creditor=creditor)
        run = creditor_sync(creditor=creditor, today=TODAY)
    forget_process_state()
    assert (run.status, run.seen, run.imported) == (SyncRun.Status.OK, 300, 300), run.error

    def ocr(row, made):
        # Visma.net makes its own OCR from the invoice number (Luhn, no length digit).
        assert validate_se_ocr(row.erp_payment_reference, length_digit=False).startswith(row.number)

    _assert_imported(creditor, _expected(customers("SE", 30), TODAY, 300), ocr)
    assert Decimal(sum(i.amount for i in invoices(customers("SE", 30), TODAY, 300))) == sum(
        Invoice.objects.filter(creditor=creditor).values_list("original_amount", flat=True)
    )
