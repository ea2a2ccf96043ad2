"""Issue 7 item 6: an amount is quantised half up to the currency's minor unit before it is
stored and bounded at every entry point, so it behaves the same on SQLite and PostgreSQL.
(The ERP entry point is in tests/integrations/test_quarantine.py, the bank in
tests/test_incoming_payments.py.)"""

from decimal import Decimal

import pytest
from django.db import transaction

from cases.models import Invoice, LedgerEntry, RuleValue
from creditors.models import ImportFilter, Membership
from nordic.money import MAX_AMOUNT, AmountError, minor_unit, money, quantize

D = Decimal


@pytest.mark.parametrize(
    "value, expected",
    [
        ("10.005", "10.01"),
        ("10.004", "10.00"),
        ("-10.005", "-10.01"),  # half away from zero, as PostgreSQL's numeric rounds
        ("0.015", "0.02"),  # binary floating point would give 0.01
        (D("2.675"), "2.68"),
        (7, "7.00"),
    ],
)
def test_quantize_rounds_half_up_to_the_minor_unit(value, expected):
    assert quantize(value, "NOK") == D(expected)
    assert str(money(value, "EUR")) == expected


@pytest.mark.parametrize("value", ["1e12", "-1000000000.00", "999999999.995", "1e40"])
def test_amounts_beyond_the_bound_are_refused(value):
    with pytest.raises(AmountError, match="beyond the limit"):
        money(value, "SEK")


@pytest.mark.parametrize("value", ["", "12,50", "NaN", "Infinity", 1.5, None, True])
def test_what_is_not_an_exact_number_is_refused(value):
    with pytest.raises(AmountError):
        money(value)


def test_minor_units_per_currency():
    assert {c: minor_unit(c) for c in ("SEK", "NOK", "EUR")} == dict.fromkeys(
        ("SEK", "NOK", "EUR"), D("0.01")
    )
    with pytest.raises(AmountError, match="unknown currency"):
        minor_unit("XYZ")


@pytest.fixture
def case(make_creditor, make_case):
    return make_case(make_creditor(country="NO"))


@pytest.mark.django_db
def test_half_a_cent_is_stored_rounded_up_on_every_database(case):
    """Was 10.00 on SQLite (stored as a binary float) and 10.01 on PostgreSQL."""
    invoice = case.invoices.get()
    invoice.original_amount = D("10.005")
    invoice.outstanding_amount = D("-10.005")
    invoice.save()
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                creditor=case.creditor,
                case=case,
                kind="charge",
                component="fee",
                amount=D("10.005"),
                booked_on=case.opened_on,
                key="test:half-cent",
            )
        ]
    )
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.original_amount, stored.outstanding_amount) == (D("10.01"), D("-10.01"))
    assert LedgerEntry.objects.get(key="test:half-cent").amount == D("10.01")
    assert Invoice.objects.filter(pk=invoice.pk, original_amount=D("10.01")).exists()


@pytest.mark.django_db
def test_an_amount_beyond_the_bound_is_never_stored(case):
    """Was a DataError on PostgreSQL and, on SQLite, a row that could not be read back."""
    invoice = case.invoices.get()
    invoice.outstanding_amount = D("1e12")
    with pytest.raises(AmountError), transaction.atomic():
        invoice.save()
    assert Invoice.objects.get(pk=invoice.pk).outstanding_amount == D("1000.00")
    with pytest.raises(AmountError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(outstanding_amount=D("-5e11"))
    assert Invoice.objects.get(pk=invoice.pk).outstanding_amount == D("1000.00")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1000000000000.00", "500000000000.00"])
def test_admin_refuses_an_amount_beyond_the_bound(client, django_user_model, value):
    support = django_user_model.objects.create_superuser("support", password="pw-for-tests-1")
    client.force_login(support)
    row = RuleValue.objects.filter(capital_upto__isnull=False).first()
    url = f"/admin/cases/rulevalue/{row.pk}/change/"
    form = {
        "country": row.country,
        "rule": row.rule,
        "applies_to": row.applies_to,
        "capital_upto": value,
        "valid_from": row.valid_from.isoformat(),
        "value": str(row.value),
        "source": row.source,
        "confirmed": "on" if row.confirmed else "",
        "note": row.note,
    }
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["capital_upto"]
    row.refresh_from_db()
    assert row.capital_upto <= MAX_AMOUNT
    # The same form with a sane amount goes through (the form above was otherwise valid).
    assert client.post(url, {**form, "capital_upto": "25000.50"}).status_code == 302
    row.refresh_from_db()
    assert row.capital_upto == D("25000.50")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1000000000000.00", "500000000000.00"])
def test_api_refuses_an_amount_beyond_the_bound(client, make_creditor, make_user, value):
    creditor = make_creditor()
    admin = make_user()
    Membership.objects.create(user=admin, creditor=creditor, role=Membership.Role.ADMIN)
    client.force_login(admin)
    url = f"/api/creditors/{creditor.pk}/settings/"
    response = client.patch(url, {"max_amount": value}, content_type="application/json")
    assert response.status_code == 400
    assert "max_amount" in response.json()["error"]["fields"]
    assert ImportFilter.objects.get(creditor=creditor).max_amount is None
    ok = client.patch(url, {"max_amount": "50000.00"}, content_type="application/json")
    assert ok.status_code == 200
    assert ImportFilter.objects.get(creditor=creditor).max_amount == D("50000.00")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["amount", "original_amount"])
@pytest.mark.parametrize("value", ["1000000000.00", "5000000000.00"])
def test_assignments_api_refuses_an_amount_beyond_the_bound(
    client, make_creditor, django_user_model, field, value
):
    """Was a 500 (AmountError at the save) for amounts the serializer's 12 digits let in."""
    from cases.models import Case
    from collection.models import Assignment
    from creditors.apikeys import api_key_create
    from tests.test_api import assignment

    creditor = make_creditor(country="SE")
    admin = django_user_model.objects.create(username="admin")
    Membership.objects.create(user=admin, creditor=creditor, role=Membership.Role.ADMIN)
    _, key = api_key_create(creditor=creditor, actor=admin, name="Program", role="admin")
    body = assignment()
    body["invoices"][0][field] = value
    response = client.post(
        f"/api/creditors/{creditor.pk}/assignments/",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "k-1", "Authorization": f"Api-Key {key}"},
    )
    assert response.status_code == 400, response.content[:200]
    assert field in str(response.json()["error"]["fields"]["invoices"])
    assert not Assignment.objects.exists() and not Case.objects.exists()
