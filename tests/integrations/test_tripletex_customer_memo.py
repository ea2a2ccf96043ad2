"""A Tripletex listing maps each customer once, not once per invoice (mapping.CustomerMemo,
issue 8 item 5: ~40 % of the listing's mapping was the same customers mapped again), and that
changes nothing: a customer whose JSON differs from the last time is mapped anew, and every
invoice maps to the record the uncached mapping makes. Over real HTTP to the emulator."""

import datetime as dt

import pytest

from integrations import registry
from integrations.errors import ErpMalformedResponse
from integrations.tripletex import mapping
from integrations.tripletex.client import INVOICE_LIST_FIELDS

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def company(tripletex):
    return tripletex.seeded["companies"][0]


@pytest.fixture
def adapter(tripletex, company):
    # One invoice a page: the listing reads the ERP as it goes, so it can change in between.
    return registry.connect(
        "tripletex",
        {"base_url": tripletex.url, "employee_token": company["employee_token"], "page_size": 1},
    )


def _lean_rows(adapter) -> list[dict]:
    window = (TODAY - dt.timedelta(days=adapter.connection.lookback_days), TODAY + dt.timedelta(1))
    return list(adapter.client.list_invoices(*window, INVOICE_LIST_FIELDS, sorting="id"))


def test_the_listing_maps_every_invoice_as_the_uncached_mapping(adapter):
    expected = [mapping.invoice_from_json(row) for row in _lean_rows(adapter)]
    expected = [i for i in expected if not i.is_credit_note and i.outstanding > 0]

    listed = list(adapter.list_open_invoices(as_of=TODAY))

    assert listed == expected
    by_customer = {}
    for invoice in listed:
        by_customer.setdefault(invoice.customer.erp_id, []).append(invoice.customer)
    shared = [records for records in by_customer.values() if len(records) > 1]
    assert shared  # the seed has customers with several open invoices ...
    for records in shared:  # ... and their invoices share one record (frozen: it cannot change)
        assert all(record is records[0] for record in records)


def test_a_customer_changed_between_two_of_its_invoices_is_mapped_with_its_new_data(
    tripletex, company, adapter
):
    listing = adapter.list_open_invoices(as_of=TODAY)
    customer_ids = [invoice.customer.erp_id for invoice in adapter.list_open_invoices(as_of=TODAY)]
    twice = next(c for c in customer_ids if customer_ids.count(c) > 1)

    first = next(invoice for invoice in listing if invoice.customer.erp_id == twice)
    tripletex.update("customer", int(twice), company["id"], name="Renamed AS", language="EN")
    later = [invoice for invoice in listing if invoice.customer.erp_id == twice]

    assert (first.customer.name, first.customer.language) != ("Renamed AS", "en")
    assert later and all(
        (invoice.customer.name, invoice.customer.language) == ("Renamed AS", "en")
        for invoice in later
    )


def _changed(value):
    """The same JSON with this leaf (or every leaf below it) changed."""
    if isinstance(value, dict):
        return {name: _changed(inner) for name, inner in value.items()}
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x" if value else "NEW"
    return "NEW"  # null


def _leaves(data: dict, path=()):
    for name, value in data.items():
        if isinstance(value, dict) and value:
            yield from _leaves(value, (*path, name))
        else:
            yield (*path, name)


def _with_leaf_changed(row: dict, path: tuple) -> dict:
    if len(path) == 1:
        return {**row, path[0]: _changed(row[path[0]])}
    return {**row, path[0]: _with_leaf_changed(row[path[0]], path[1:])}


def _outcome(row, customers=mapping.customer_from_json):
    try:
        return mapping.invoice_from_json(row, customers)
    except ErpMalformedResponse as exc:
        return str(exc)


def test_any_field_of_the_customer_changed_maps_it_anew(adapter):
    """Each field the listing brings of a customer, changed in turn between two of its invoices
    (and back), in a memo small enough to start over on the way: the same records as uncached."""
    rows = _lean_rows(adapter)
    row = rows[0]
    other = next(r for r in rows if r["customer"]["id"] != row["customer"]["id"])
    paths = [("customer", *path) for path in _leaves(row["customer"])]
    assert len(paths) > 15  # every field of the list's customer(...), address lines included
    listing = [row, other]
    for path in paths:
        listing += [_with_leaf_changed(row, path), row, other]

    memo = mapping.CustomerMemo(limit=1)
    assert [_outcome(r, memo) for r in listing] == [_outcome(r) for r in listing]
    memo = mapping.CustomerMemo()
    assert [_outcome(r, memo) for r in listing] == [_outcome(r) for r in listing]
