"""Every view of a creditor's data by support staff is in the audit log, written where every
portal view and API endpoint resolves its creditor (creditors.access); a creditor's own users'
views are not logged."""

import pytest
from django.urls import reverse

from cases.messages import message_post
from creditors.models import SupportAccessLog
from support.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_creditor, make_case, make_user):
    creditor = make_creditor()
    case = make_case(creditor)
    return creditor, case, make_user(creditor), make_user(staff=True)


def pages(creditor, case):
    return [
        ("portal", reverse("case-list", args=[creditor.pk])),
        ("portal", reverse("case-detail", args=[creditor.pk, case.number])),
        ("portal", reverse("creditor-settings", args=[creditor.pk])),
        ("api", reverse("api-case-list", args=[creditor.pk])),
        ("api", reverse("api-case-detail", args=[creditor.pk, case.number])),
    ]


def test_support_users_portal_and_api_views_are_logged(client, world):
    creditor, case, member, staff = world
    client.force_login(staff)
    for _surface, url in pages(creditor, case):
        assert client.get(url).status_code == 200, url
    logged = list(SupportAccessLog.objects.order_by("pk").values_list("user", "creditor", "path"))
    assert logged == [(staff.pk, creditor.pk, url) for _, url in pages(creditor, case)]
    assert set(SupportAccessLog.objects.values_list("method", flat=True)) == {"GET"}


def test_an_action_by_support_is_logged_with_its_method(client, world):
    creditor, case, member, staff = world
    client.force_login(staff)
    url = reverse("case-pause", args=[creditor.pk, case.number])
    assert client.post(url, {"reason": "disputed"}).status_code == 302
    # the view resolves the creditor more than once (case and permission): one row
    assert list(SupportAccessLog.objects.values_list("method", "path")) == [("POST", url)]


def test_a_creditor_users_views_are_not_logged(client, world):
    creditor, case, member, staff = world
    client.force_login(member)
    for _surface, url in pages(creditor, case):
        assert client.get(url).status_code == 200, url
    assert not SupportAccessLog.objects.exists()


def test_opening_a_ticket_in_the_console_is_logged(client, world):
    creditor, case, member, staff = world
    message_post(creditor=creditor, case=case, author=member, body="Hello")
    client.force_login(staff)
    client.get(reverse("support-tickets"))
    ticket = Ticket.objects.get()
    url = reverse("support-ticket", args=[ticket.pk])
    assert client.get(url).status_code == 200
    assert list(SupportAccessLog.objects.values_list("creditor", "path")) == [(creditor.pk, url)]
