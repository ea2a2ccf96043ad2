"""The import asks Tripletex only for the fields it reads (issue 8, item 5: `fields=` on the
invoice list, nearly all of a sync's traffic), and those fields lose nothing: every invoice maps
to the same record as from the fully expanded answer. Over real HTTP to the emulator, which
answers only the fields asked for, as Tripletex does."""

import datetime as dt

import pytest

from integrations import registry
from integrations.tripletex import mapping
from integrations.tripletex.client import INVOICE_FIELDS, INVOICE_LIST_FIELDS

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def adapter(tripletex):
    company = tripletex.seeded["companies"][0]
    return registry.connect(
        "tripletex",
        {"base_url": tripletex.url, "employee_token": company["employee_token"], "page_size": 4},
    )


def test_the_invoice_list_asks_for_the_fields_it_maps_and_no_wildcard(tripletex, adapter):
    invoices = list(adapter.list_open_invoices(as_of=TODAY))
    assert len(invoices) > 4  # more than one page was read

    pages = [r for r in tripletex.requests("/v2/invoice") if "from" in r["query"]]
    asked = {r["query"].get("fields") for r in pages}
    # Every page asks the list's fields (the reconciling pass asks for ids only).
    assert asked == {INVOICE_LIST_FIELDS, "id"}
    assert "*" not in INVOICE_LIST_FIELDS


def test_the_listed_fields_map_to_the_same_invoice_as_the_expanded_answer(tripletex, adapter):
    window = (TODAY - dt.timedelta(days=1100), TODAY + dt.timedelta(days=1))
    client = adapter.client
    lean = {r["id"]: r for r in client.list_invoices(*window, INVOICE_LIST_FIELDS)}
    full = {r["id"]: r for r in client.list_invoices(*window, INVOICE_FIELDS)}
    assert lean.keys() == full.keys() and len(lean) > 4
    for invoice_id, row in lean.items():
        assert mapping.invoice_from_json(row) == mapping.invoice_from_json(full[invoice_id])
    # ... at a fraction of the bytes (the point of asking only for them).
    assert len(repr(lean)) * 2 < len(repr(full))


@pytest.mark.django_db
def test_the_nightly_import_keeps_the_customers_language(tripletex, make_creditor):
    """Found in review: the list's fields left out Customer.language, so every debtor the
    import stored had none and got its letters in the country's language, an English-speaking
    customer too (the mapping reads it; only the fully expanded single read carried it)."""
    from cases.models import Debtor
    from collection.sync import creditor_sync

    company = tripletex.seeded["companies"][0]
    english = company["customer_ids"][0]  # Bryggen Eiendom: long overdue, imported
    tripletex.update("customer", english, company["id"], language="EN")
    creditor = make_creditor(
        erp_connection={"base_url": tripletex.url, "employee_token": company["employee_token"]}
    )

    creditor_sync(creditor=creditor, today=TODAY)

    languages = dict(Debtor.objects.filter(creditor=creditor).values_list("erp_id", "language"))
    assert languages.pop(str(english)) == "en"
    assert languages and set(languages.values()) == {"nb"}
