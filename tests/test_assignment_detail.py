"""One assignment of the assignments API, by its id or by the idempotency key it was sent with
(a program that lost the answer to its POST asks by the key): the creditor's own only, in the
schema."""

import pytest
from django.urls import reverse

from collection.models import Assignment
from creditors.apikeys import api_key_create
from tests.test_api import api, assert_error, assignment, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_programs(make_creditor, make_user):
    keys = []
    for country in ("SE", "SE"):
        creditor = make_creditor(country=country)
        admin = make_user(creditor, role="admin")
        _, key = api_key_create(creditor=creditor, actor=admin, name="Visma", role="admin")
        keys.append((creditor, key))
    return keys


def test_an_assignment_by_id_and_by_key(client, two_programs):
    (creditor, key), _ = two_programs
    c = api(client, key)
    created = post(c, creditor, assignment(), key="order/2026-17")
    assert created.status_code == 201
    body = created.json()
    by_id = c.get(reverse("api-assignment", args=[creditor.pk, body["id"]]))
    assert by_id.status_code == 200 and by_id.json() == body
    by_key = c.get(f"/api/creditors/{creditor.pk}/assignments/by-key/order%2F2026-17/")
    assert by_key.status_code == 200 and by_key.json() == body
    assert body["stage"] and body["case"] and body["idempotency_key"] == "order/2026-17"
    plain = post(c, creditor, assignment(number="5002", customer="K-18"), key="o-18")
    url = reverse("api-assignment-by-key", args=[creditor.pk, "o-18"])
    assert c.get(url).json()["id"] == plain.json()["id"]


def test_another_creditors_assignment_is_404(client, two_programs):
    (a, key_a), (b, key_b) = two_programs
    body = post(api(client, key_b), b, assignment(), key="b-1").json()
    c = api(client, key_a)
    for url in (
        reverse("api-assignment", args=[a.pk, body["id"]]),
        reverse("api-assignment-by-key", args=[a.pk, "b-1"]),
        reverse("api-assignment", args=[b.pk, body["id"]]),
        reverse("api-assignment-by-key", args=[b.pk, "b-1"]),
        reverse("api-assignment", args=[a.pk, 999_999]),
    ):
        assert_error(c.get(url), 404, "not_found")
    assert Assignment.objects.count() == 1


def test_the_detail_is_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    one = paths["/api/creditors/{creditor_id}/assignments/{assignment_id}/"]["get"]
    by_key = paths["/api/creditors/{creditor_id}/assignments/by-key/{idempotency_key}/"]["get"]
    for operation in (one, by_key):
        assert "200" in operation["responses"] and "AssignmentOut" in str(operation["responses"])
