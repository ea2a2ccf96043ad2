"""Portal pages: what a creditor user sees, and that list pages cost a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_case_list_query_count_does_not_grow_with_cases(
    client, make_creditor, make_case, make_user
):
    creditor = make_creditor()
    client.force_login(make_user(creditor))
    make_case(creditor)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/c/{creditor.pk}/cases/").status_code == 200
    for _ in range(10):
        make_case(creditor)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/c/{creditor.pk}/cases/").status_code == 200
    assert len(many) == len(few)


def test_case_list_shows_outstanding_with_two_decimals(client, make_creditor, make_case, make_user):
    creditor = make_creditor()
    client.force_login(make_user(creditor))
    case = make_case(creditor, amount=Decimal("12538.50"))
    body = client.get(f"/c/{creditor.pk}/cases/").content.decode()
    assert case.number in body and "12,538.50 NOK" in body


def test_search_and_status_filter(client, make_creditor, make_case, make_user):
    creditor = make_creditor()
    client.force_login(make_user(creditor))
    first, second = make_case(creditor), make_case(creditor)
    body = client.get(f"/c/{creditor.pk}/cases/?q={first.number}").content.decode()
    assert first.number in body and second.number not in body
    body = client.get(f"/c/{creditor.pk}/cases/?status=closed").content.decode()
    assert first.number not in body and "No cases match" in body


def test_creditor_switch_without_javascript(client, make_creditor, make_user):
    a, b, other = make_creditor(), make_creditor(), make_creditor()
    client.force_login(make_user(a, b))
    response = client.get(f"/?creditor={b.pk}")
    assert response.status_code == 302 and response["Location"] == f"/c/{b.pk}/cases/"
    assert client.get(f"/?creditor={other.pk}").status_code == 404
