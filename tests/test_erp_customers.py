"""The ERP's customers and classes offered in the import filter's settings per customer and per
class (collection.erp_customers), over real HTTP to the Tripletex emulator: the settings page
offers them, an override picked there is applied by the next sync, the list is read once per
few minutes, an ERP that fails leaves the form as free text with a message, and the API gives the
same list under the permission to change the settings. Visma.net: tests/integrations/visma/
test_visma_erp_customers.py."""

import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from collection.models import SyncRun
from collection.sync import creditor_sync
from creditors.models import ImportFilterOverride, Membership
from tests.conftest import TT_TODAY
from tests.onboarding import active_creditor

pytestmark = pytest.mark.django_db
# The emulator's demo (integrations/tripletex/emulator/seed.py), Fjordvik's customers numbered
# from 10001: 0 Bryggen Eiendom AS (Storkunde), 2 Kari Nordmann (Privat), 5 Fana Tannlegesenter
# AS (Storkunde). Its open invoices: rows 0 and 8 Bryggen's, row 5 Ola Hansen's 1 250 (Privat).


@pytest.fixture(autouse=True)
def _no_cached_lists():
    cache.clear()  # a list cached by an earlier test on a reused port and id is not this ERP's
    yield
    cache.clear()


@pytest.fixture
def creditor(tripletex_connection):
    return active_creditor(tripletex_connection(0))


@pytest.fixture
def admin_client(client, creditor, make_user):
    client.force_login(make_user(creditor, role=Membership.Role.ADMIN))
    return client


def datalist(page: str, list_id: str) -> dict[str, str]:
    """The options of one <datalist> on the page: label -> value."""
    found = re.search(rf'<datalist id="{list_id}">(.*?)</datalist>', page, re.S)
    if found is None:
        return {}
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', found.group(1))
    return {html.unescape(label): html.unescape(value) for value, label in options}


def settings_page(client, creditor) -> str:
    response = client.get(reverse("creditor-settings", args=[creditor.pk]))
    assert response.status_code == 200
    return response.content.decode()


def customer_reads(tripletex) -> int:
    return len([r for r in tripletex.requests("/customer") if r["path"] == "/v2/customer"])


def test_the_override_form_offers_the_erp_s_customers_and_classes(
    tripletex, creditor, admin_client
):
    page = settings_page(admin_client, creditor)

    customers = datalist(page, "erp-customers")
    ids = tripletex.seeded["companies"][0]["customer_ids"]
    assert customers["10001 Bryggen Eiendom AS"] == str(ids[0])
    assert customers["10003 Kari Nordmann"] == str(ids[2])
    assert len(customers) == len(ids)
    # The class as the filter compares it: Tripletex's customers carry their category's name.
    assert datalist(page, "erp-classes") == {c: c for c in ("Bedrift", "Privat", "Storkunde")}
    # On the form's own inputs: the same fields, free text still possible.
    assert re.search(r'<input[^>]*name="override-customer_erp_id"[^>]*list="erp-customers"', page)
    assert re.search(r'<input[^>]*name="override-customer_class"[^>]*list="erp-classes"', page)


def test_an_override_picked_from_the_list_is_applied_by_the_next_sync(
    tripletex, creditor, admin_client
):
    page = settings_page(admin_client, creditor)
    customers, classes = datalist(page, "erp-customers"), datalist(page, "erp-classes")
    url = reverse("creditor-import-override-set", args=[creditor.pk])
    pick = {"override-customer_erp_id": customers["10001 Bryggen Eiendom AS"]}
    admin_client.post(url, {**pick, "override-excluded": "on"})
    admin_client.post(
        url, {"override-customer_class": classes["Privat"], "override-min_amount": 2000}
    )

    saved = {(o.customer_erp_id, o.customer_class, o.excluded, o.min_amount) for o in
             ImportFilterOverride.objects.filter(creditor=creditor)}  # fmt: skip
    ids = tripletex.seeded["companies"][0]["customer_ids"]
    assert saved == {(str(ids[0]), "", True, None), ("", "Privat", False, 2000)}

    run = creditor_sync(creditor=creditor, today=TT_TODAY)
    assert run.status == SyncRun.Status.OK, run.error
    assert run.skipped_by_reason["excluded_customer"] == 2  # Bryggen's rows 0 and 8
    assert run.skipped_by_reason["below_min_amount"] == 1  # Ola Hansen's 1 250, Privat

    # The settings made, with the ERP's name beside the customer's id.
    page = settings_page(admin_client, creditor)
    assert re.search(rf"customer {ids[0]}\s*<span[^>]*>10001 Bryggen Eiendom AS</span>", page)


def test_the_list_is_read_from_the_erp_once_for_several_renders(tripletex, creditor, admin_client):
    settings_page(admin_client, creditor)
    reads = customer_reads(tripletex)
    assert reads >= 1
    settings_page(admin_client, creditor)
    admin_client.get(reverse("api-creditor-erp-customers", args=[creditor.pk]))
    assert customer_reads(tripletex) == reads


def test_the_erp_down_leaves_a_message_and_free_text(tripletex, creditor, admin_client):
    tripletex.faults.server_error("/customer", status=503, times=None)

    page = settings_page(admin_client, creditor)

    assert "erp-customers" not in page and "erp-classes" not in page
    assert 'name="override-customer_erp_id"' in page  # the free-text form, as without the feature
    assert "Tripletex did not give its customers" in page and "type the id instead" in page
    api = admin_client.get(reverse("api-creditor-erp-customers", args=[creditor.pk]))
    assert api.status_code == 200
    assert api.json()["status"] == "erp_error" and api.json()["customers"] == []
    # A typed id is still saved as before.
    url = reverse("creditor-import-override-set", args=[creditor.pk])
    admin_client.post(url, {"override-customer_erp_id": "77", "override-excluded": "on"})
    assert ImportFilterOverride.objects.filter(creditor=creditor, customer_erp_id="77").exists()


def test_the_api_lists_them_for_who_may_change_the_import_filter(
    tripletex, creditor, client, make_user, make_creditor
):
    url = reverse("api-creditor-erp-customers", args=[creditor.pk])
    client.force_login(make_user(creditor, role=Membership.Role.ADMIN))
    data = client.get(url).json()
    assert data["status"] == "ok" and data["erp"] == "Tripletex" and not data["truncated"]
    ids = tripletex.seeded["companies"][0]["customer_ids"]
    bryggen = {"erp_id": str(ids[0]), "number": "10001", "name": "Bryggen Eiendom AS"}
    assert bryggen in data["customers"]
    assert {"key": "Privat", "name": "Privat"} in data["classes"]

    # A creditor user may see the settings, not change them: 403, and the ERP is not asked.
    cache.clear()
    reads = customer_reads(tripletex)
    client.force_login(make_user(creditor))
    assert client.get(url).status_code == 403
    page = settings_page(client, creditor)
    assert "erp-customers" not in page
    assert customer_reads(tripletex) == reads
    # Another creditor's admin: 404, as for any other tenant's object.
    client.force_login(make_user(make_creditor(), role=Membership.Role.ADMIN))
    assert client.get(url).status_code == 404
    assert customer_reads(tripletex) == reads


def test_an_erp_without_customer_listing_keeps_free_text(client, make_creditor, make_user):
    # Inexchange has no customer API (integrations.inexchange.adapter): nothing to ask.
    creditor = make_creditor()
    creditor.erp_kind = "inexchange"
    creditor.save(update_fields=["erp_kind"])
    client.force_login(make_user(creditor, role=Membership.Role.ADMIN))
    page = settings_page(client, creditor)
    assert 'name="override-customer_erp_id"' in page
    assert "erp-customers" not in page and 'class="notice"' not in page
    data = client.get(reverse("api-creditor-erp-customers", args=[creditor.pk])).json()
    assert data["status"] == "not_supported" and data["customers"] == data["classes"] == []


def test_a_long_customer_list_is_cut_and_says_so(tripletex, creditor, admin_client, monkeypatch):
    monkeypatch.setattr("collection.erp_customers.MAX_CUSTOMERS", 3)
    page = settings_page(admin_client, creditor)
    assert len(datalist(page, "erp-customers")) == 3
    assert "Only the first customers are listed: type the id of another." in page
    data = admin_client.get(reverse("api-creditor-erp-customers", args=[creditor.pk])).json()
    assert data["truncated"] and len(data["customers"]) == 3


def test_the_message_is_in_the_reader_s_language(tripletex, creditor, admin_client):
    tripletex.faults.server_error("/customer", status=503, times=None)
    settings_page(admin_client, creditor)  # cached in English
    page = admin_client.get(
        reverse("creditor-settings", args=[creditor.pk]), headers={"Accept-Language": "sv"}
    ).content.decode()
    assert "Tripletex lämnade inte ut sina kunder" in page
