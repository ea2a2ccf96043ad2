"""The support console over HTTP: only support staff reach it; assign, reply and close a ticket;
the reply reaches the creditor's thread in the portal; an unmatched payment matched by hand is
booked once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cases import ledger
from cases.messages import case_thread, creditor_thread, message_post
from cases.models import Payment
from collection.advance import case_advance
from collection.payments import incoming_payment_register
from settlements.models import IncomingPayment
from support.models import Ticket

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)


@pytest.fixture
def world(make_creditor, make_case, make_user):
    creditor = make_creditor("Fjordkraft Demo AS")
    case = make_case(creditor, today=DAY)
    member = make_user(creditor)
    staff, colleague = make_user(staff=True), make_user(staff=True)
    message_post(creditor=creditor, case=case, author=member, body="The debtor says he paid.")
    return creditor, case, member, staff, colleague


def test_only_support_staff_reach_the_console(client, world):
    creditor, case, member, staff, _ = world
    client.force_login(member)
    assert client.get(reverse("support-tickets")).status_code == 403
    assert client.get(reverse("support-payments")).status_code == 403
    client.logout()
    assert client.get(reverse("support-tickets")).status_code == 302  # to the login page
    client.force_login(staff)
    page = client.get(reverse("support-tickets"))
    assert page.status_code == 200
    assert "The debtor says he paid." in page.content.decode()


def test_assign_reply_close_and_the_creditor_sees_the_answer(client, world):
    creditor, case, member, staff, colleague = world
    client.force_login(staff)
    client.get(reverse("support-tickets"))  # opening the console refreshes the tickets
    ticket = Ticket.objects.get(kind=Ticket.Kind.MESSAGE, case=case)

    mine = client.get(reverse("support-tickets"), {"mine": "1"}).content.decode()
    assert "The debtor says he paid." not in mine
    client.post(reverse("support-ticket-assign", args=[ticket.pk]), {"assignee": colleague.pk})
    ticket.refresh_from_db()
    assert ticket.assignee == colleague
    client.post(reverse("support-ticket-assign", args=[ticket.pk]), {"assignee": "me"})
    ticket.refresh_from_db()
    assert ticket.assignee == staff
    mine = client.get(reverse("support-tickets"), {"mine": "1"}).content.decode()
    assert "The debtor says he paid." in mine
    # a creditor's user cannot be given a ticket
    assert (
        client.post(
            reverse("support-ticket-assign", args=[ticket.pk]), {"assignee": member.pk}
        ).status_code
        == 404
    )

    response = client.post(
        reverse("support-ticket-reply", args=[ticket.pk]),
        {"body": "We found the payment; it is booked."},
    )
    assert response.status_code == 302
    [question, answer] = case_thread(creditor=creditor, case=case)
    assert (answer.from_support, answer.author, answer.body) == (
        True,
        staff,
        "We found the payment; it is booked.",
    )
    assert question.read_at is not None  # answering read the creditor's message

    client.force_login(member)
    page = client.get(reverse("case-detail", args=[creditor.pk, case.number])).content.decode()
    assert "We found the payment; it is booked." in page

    client.force_login(staff)
    client.post(reverse("support-ticket-close", args=[ticket.pk]))
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_by) == ("closed", staff)
    open_list = client.get(reverse("support-tickets")).content.decode()
    assert "The debtor says he paid." not in open_list


def test_reply_to_a_general_message_goes_to_the_creditors_thread(client, world):
    creditor, case, member, staff, _ = world
    message_post(creditor=creditor, author=member, body="Can we change the payout account?")
    client.force_login(staff)
    client.get(reverse("support-tickets"))
    ticket = Ticket.objects.get(kind=Ticket.Kind.MESSAGE, case=None)
    client.post(reverse("support-ticket-reply", args=[ticket.pk]), {"body": "Yes, in Settings."})
    assert [m.body for m in creditor_thread(creditor=creditor)] == [
        "Can we change the payout account?",
        "Yes, in Settings.",
    ]
    assert not case_thread(creditor=creditor, case=case).filter(from_support=True).exists()


def test_empty_reply_is_refused_with_a_message(client, world):
    creditor, case, member, staff, _ = world
    client.force_login(staff)
    client.get(reverse("support-tickets"))
    ticket = Ticket.objects.get(kind=Ticket.Kind.MESSAGE)
    response = client.post(
        reverse("support-ticket-reply", args=[ticket.pk]), {"body": "  "}, follow=True
    )
    assert 'class="error"' in response.content.decode()
    assert case_thread(creditor=creditor, case=case).count() == 1


def test_unmatched_payment_found_by_case_number_and_booked_once(client, world):
    creditor, case, member, staff, _ = world
    case_advance(case_id=case.pk, today=DAY)
    amount = ledger.outstanding(case)
    incoming = incoming_payment_register(
        external_id="bank-77",
        reference="paid for invoice " + case.number,  # no valid reference: not matched
        amount=amount,
        currency=case.currency,
        paid_on=DAY,
    )
    assert incoming.status == IncomingPayment.Status.UNMATCHED
    client.force_login(staff)
    client.get(reverse("support-tickets"))
    ticket = Ticket.objects.get(kind=Ticket.Kind.UNMATCHED_PAYMENT)

    queue = client.get(reverse("support-payments")).content.decode()
    assert "paid for invoice" in queue
    for query in (case.number, case.payment_reference, case.debtor.name[:6]):
        found = client.get(reverse("support-payment", args=[incoming.pk]), {"q": query})
        assert f'name="case" value="{case.pk}"' in found.content.decode(), query

    url = reverse("support-payment-match", args=[incoming.pk])
    first = client.post(url, {"case": case.pk})
    second = client.post(url, {"case": case.pk}, follow=True)  # a second click
    assert first.status_code == 302
    assert "matched already" in second.content.decode()
    assert Payment.objects.filter(case=case, external_id="bank-77").count() == 1
    incoming.refresh_from_db()
    assert incoming.status == IncomingPayment.Status.MATCHED
    assert ledger.outstanding(case) == Decimal("0.00")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_by, ticket.case) == ("closed", staff, case)
