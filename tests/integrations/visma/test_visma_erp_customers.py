"""Visma.net's customers and customer classes in the import filter's settings per customer and per
class (collection.erp_customers), over real HTTP to the emulator: the settings page offers them,
a class picked there (Visma.net keys a customer's class by its id, not its description) is
applied by the next sync, and the API lists them paged through Visma.net. Tripletex and the
permissions: tests/test_erp_customers.py."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cases.models import Invoice
from collection.models import SyncRun
from collection.sync import creditor_sync
from creditors.models import Membership
from tests.integrations.visma.conftest import TODAY
from tests.test_erp_customers import datalist, settings_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_lists():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def creditor(visma_creditor, monkeypatch):
    monkeypatch.setattr("collection.tasks.write_case_reference.delay", lambda *a: None)
    monkeypatch.setattr("collection.tasks.write_case_references.delay", lambda *a: None)
    return visma_creditor(page_size=3)  # eight customers: three pages


@pytest.fixture
def admin_client(creditor, make_user):
    client = Client(headers={"Accept-Language": "en"})  # this package's `client` is Visma's
    client.force_login(make_user(creditor, role=Membership.Role.ADMIN))
    return client


def test_the_form_offers_visma_s_customers_and_classes_and_a_pick_is_applied(
    visma, norrsken, creditor, admin_client
):
    page = settings_page(admin_client, creditor)

    customers = datalist(page, "erp-customers")
    numbers = [*norrsken["consumers"], *norrsken["businesses"]]
    assert sorted(customers.values()) == sorted(numbers)
    sister = norrsken["businesses"][-2]
    assert customers[f"{sister} Norrsken Förvaltning AB"] == sister
    classes = datalist(page, "erp-classes")
    assert classes == {
        "Privatkunder": "PRIVAT",
        "Företagskunder": "FORETAG",
        "Koncernbolag": "KONCERN",
    }
    pages = [r["query"].get("pageNumber") for r in visma.requests("/v1/customer")
             if r["path"] == "/v1/customer"]  # fmt: skip
    assert pages == ["1", "2", "3"]  # eight customers, three a page

    url = reverse("creditor-import-override-set", args=[creditor.pk])
    admin_client.post(url, {"override-customer_class": classes["Koncernbolag"],
                            "override-excluded": "on"})  # fmt: skip
    run = creditor_sync(creditor=creditor, today=TODAY)
    assert run.status == SyncRun.Status.OK, run.error
    # The sister company's 9 999 (class KONCERN) is kept out as an excluded customer; the rest
    # come in as without the setting (tests/integrations/visma/test_visma_sync.py).
    assert run.skipped_by_reason.get("excluded_customer") == 1
    sisters = norrsken["open_invoices"][6]
    wanted = set(norrsken["open_invoices"]) - {"100006", sisters}  # 100006: in EUR
    assert set(Invoice.objects.filter(creditor=creditor).values_list("erp_id", flat=True)) == wanted
    page = settings_page(admin_client, creditor)
    assert re.search(r"customer class KONCERN\s*<span[^>]*>Koncernbolag</span>", page)


def test_the_api_lists_visma_s_customers(creditor, admin_client, norrsken):
    data = admin_client.get(reverse("api-creditor-erp-customers", args=[creditor.pk])).json()
    assert data["status"] == "ok" and data["erp"] == "Visma.net"
    assert {c["erp_id"] for c in data["customers"]} == {
        *norrsken["consumers"],
        *norrsken["businesses"],
    }
    assert {"key": "PRIVAT", "name": "Privatkunder"} in data["classes"]
