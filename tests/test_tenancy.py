"""A user of creditor A never sees creditor B's cases, pages, letters or API rows: all are 404."""

import ast
import datetime as dt
from pathlib import Path

import pytest

from collection.advance import case_advance
from letters.models import Letter

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def two_tenants(make_creditor, make_case, make_user, client, django_capture_on_commit_callbacks):
    a, b = make_creditor("Alfa AS"), make_creditor("Beta AS")
    case_a, case_b = make_case(a), make_case(b)
    for case in (case_a, case_b):
        with django_capture_on_commit_callbacks(execute=True):  # renders the letter
            assert case_advance(case_id=case.pk, today=TODAY) == "reminder"
    letter_a = Letter.objects.get(case=case_a)
    letter_b = Letter.objects.get(case=case_b)
    user = make_user(a)
    client.force_login(user)
    return a, b, case_a, case_b, letter_a, letter_b


def test_own_case_pages_and_letter_are_served(client, two_tenants):
    a, _, case_a, _, letter_a, _ = two_tenants
    assert client.get(f"/c/{a.pk}/cases/").status_code == 200
    page = client.get(f"/c/{a.pk}/cases/{case_a.number}/")
    assert page.status_code == 200 and case_a.number in page.content.decode()
    pdf = client.get(f"/c/{a.pk}/cases/{case_a.number}/letters/{letter_a.pk}.pdf")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_other_tenants_objects_are_404(client, two_tenants):
    a, b, _, case_b, _, letter_b = two_tenants
    urls = [
        f"/c/{b.pk}/cases/",  # B's list
        f"/c/{b.pk}/cases/{case_b.number}/",  # B's case under B
        f"/c/{a.pk}/cases/{case_b.number}/",  # B's case smuggled under A
        f"/c/{b.pk}/cases/{case_b.number}/letters/{letter_b.pk}.pdf",
        f"/c/{a.pk}/cases/{case_b.number}/letters/{letter_b.pk}.pdf",
        f"/api/creditors/{b.pk}/cases/",
        f"/api/creditors/{a.pk}/cases/{case_b.number}/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_case_list_shows_only_own_cases(client, two_tenants):
    a, _, case_a, case_b, _, _ = two_tenants
    body = client.get(f"/c/{a.pk}/cases/").content.decode()
    assert case_a.number in body and case_b.number not in body
    api = client.get(f"/api/creditors/{a.pk}/cases/").json()
    assert [row["number"] for row in api["results"]] == [case_a.number]


def test_support_staff_reach_every_tenant(client, two_tenants, make_user):
    _, b, _, case_b, _, _ = two_tenants
    client.force_login(make_user(staff=True))
    assert client.get(f"/c/{b.pk}/cases/{case_b.number}/").status_code == 200


def test_anonymous_user_is_sent_to_login(client, two_tenants):
    a, *_ = two_tenants
    client.logout()
    response = client.get(f"/c/{a.pk}/cases/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_views_query_only_through_selectors():
    """Views and APIs never touch `Model.objects`: the tenant scope lives in the selectors."""
    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in [*root.glob("*/views.py"), *root.glob("*/apis.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
