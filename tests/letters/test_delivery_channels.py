"""Delivering a rendered letter: by e-mail with the archived PDF attached (Django's locmem backend
in tests, a real SMTP connection refused for the failures), or by post; retried with backoff and
bounded, never sent twice, bounces recorded, and all of it on the case page and in support's
queue."""

import datetime as dt
import hashlib
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from cases.models import Case, Debtor
from collection.advance import case_advance
from collection.templatetags.portal import day
from letters.delivery import (
    channel_for,
    deliveries_due,
    delivery_bounce,
    delivery_send,
    letter_deliver,
)
from letters.models import Delivery, Letter
from letters.printing import print_batch_build
from letters.tasks import deliver_pending
from support.models import Ticket
from support.refresh import tickets_refresh

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)
EMAIL, POST = Delivery.Channel.EMAIL, Delivery.Channel.POST


@pytest.mark.parametrize(
    ("country", "stage", "kind", "email", "channel"),
    [
        ("NO", "reminder", "consumer", "ola@example.no", EMAIL),
        ("NO", "demand", "business", "post@firma.no", EMAIL),
        ("SE", "demand", "consumer", "anna@example.se", EMAIL),
        ("FI", "reminder", "consumer", "matti@example.fi", EMAIL),
        ("FI", "demand", "business", "lasku@yritys.fi", EMAIL),
        # perintälaki 5 §: a consumer's maksuvaatimus in writing (no consent recorded)
        ("FI", "demand", "consumer", "matti@example.fi", POST),
        ("FI", "demand_2", "consumer", "matti@example.fi", POST),
        # the notice before legal action goes on paper everywhere
        ("NO", "enforcement_notice", "business", "post@firma.no", POST),
        ("SE", "enforcement_notice", "consumer", "anna@example.se", POST),
        # no usable address
        ("NO", "reminder", "consumer", "", POST),
        ("NO", "reminder", "consumer", "not an address", POST),
    ],
)
def test_the_channel_follows_country_stage_debtor_and_address(country, stage, kind, email, channel):
    assert channel_for(country=country, stage=stage, debtor_kind=kind, email=email) == channel


def emailed_case(make_creditor, make_case, capture, email="ola.nordmann@example.no"):
    case = make_case(make_creditor())
    Debtor.objects.filter(pk=case.debtor_id).update(email=email)
    with capture(execute=True):  # the advance's render task runs after commit, and delivers
        assert case_advance(case_id=case.pk, today=TODAY) == "reminder"
    return case, Letter.objects.get(case=case)


@pytest.fixture
def smtp_refused(settings):
    """E-mail through a real SMTP backend to a port nobody listens on: every send fails."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2

    def repair():
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    return repair


def test_an_email_carries_the_archived_pdf_and_is_sent_once(
    make_creditor, make_case, make_user, client, django_capture_on_commit_callbacks
):
    case, letter = emailed_case(make_creditor, make_case, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    delivery = Delivery.objects.get(letter=letter)
    assert delivery.channel == EMAIL and delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 1 and delivery.sent_at and delivery.last_error == ""
    assert message.to == ["ola.nordmann@example.no"]
    assert message.extra_headers["Message-ID"] == delivery.message_id
    assert message.subject == f"Purring {case.number}"
    assert "Å betale: " in message.body and case.creditor.legal_name in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"{case.number}-reminder.pdf", "application/pdf")
    assert hashlib.sha256(content).hexdigest() == letter.sha256

    # Whatever calls again (a redelivered task, the sweep, the render task), nothing more goes.
    assert delivery_send(delivery_id=delivery.pk).status == Delivery.Status.SENT
    assert letter_deliver(letter_id=letter.pk).pk == delivery.pk
    later = timezone.now() + dt.timedelta(hours=1)
    assert deliveries_due(now=later) == ([], [])
    assert deliver_pending() == 0
    assert len(mail.outbox) == 1 and Delivery.objects.count() == 1

    client.force_login(make_user(case.creditor))
    page = client.get(f"/c/{case.creditor_id}/cases/{case.number}/").content.decode()
    assert "E-mail to ola.nordmann@example.no" in page and "Sent" in page
    for url in (
        f"/api/creditors/{case.creditor_id}/cases/{case.number}/",
        f"/api/creditors/{case.creditor_id}/cases/{case.number}/letters/",
    ):
        data = client.get(url).json()
        [api_letter] = data["letters"] if "letters" in data else data["results"]
        [api_delivery] = api_letter["deliveries"]
        assert api_delivery["channel"] == "email" and api_delivery["status"] == "sent"
        assert api_delivery["attempts"] == 1 and api_delivery["print_batch_date"] is None


def test_a_failed_email_is_retried_with_backoff_and_sent_once_the_cause_is_fixed(
    make_creditor, make_case, django_capture_on_commit_callbacks, smtp_refused
):
    before = timezone.now()
    case, letter = emailed_case(make_creditor, make_case, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(letter=letter)
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert wait == dt.timedelta(minutes=5) and delivery.last_attempt_at >= before
    # Not before its time (nor while the render task may still be at it), then due.
    assert deliveries_due(now=timezone.now())[1] == []
    later = timezone.now() + dt.timedelta(minutes=11)
    assert deliveries_due(now=later)[1] == [delivery.pk]
    assert delivery_send(delivery_id=delivery.pk, now=later).attempts == 2
    delivery.refresh_from_db()
    assert delivery.next_attempt_at - later == dt.timedelta(minutes=10)  # doubled

    smtp_refused()
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=1),
        created_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert deliver_pending() == 1  # the beat's sweep
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 3
    assert delivery.last_error == "" and delivery.next_attempt_at is None
    assert len(mail.outbox) == 1
    assert not Delivery.objects.filter(channel=POST).exists()


def test_an_email_that_keeps_failing_goes_by_post(
    make_creditor, make_case, make_user, client, django_capture_on_commit_callbacks, settings,
    smtp_refused,
):  # fmt: skip
    settings.AUTOCOLLECT_DELIVERY_ATTEMPTS = 2
    case, letter = emailed_case(make_creditor, make_case, django_capture_on_commit_callbacks)
    email = Delivery.objects.get(letter=letter)
    later = timezone.now() + dt.timedelta(hours=1)
    delivery_send(delivery_id=email.pk, now=later)  # the last attempt
    email.refresh_from_db()
    assert email.status == Delivery.Status.FAILED and email.attempts == 2
    assert email.next_attempt_at is None
    post = Delivery.objects.get(letter=letter, channel=POST)
    assert post.status == Delivery.Status.QUEUED
    assert post.address == f"{case.debtor.name}\nKirkeveien 2\n0368 Oslo"
    assert deliveries_due(now=later + dt.timedelta(days=2))[1] == []  # bounded
    batch = print_batch_build(creditor_id=case.creditor_id, day=TODAY, now=later)
    assert batch.letter_count == 1
    post.refresh_from_db()
    assert post.status == Delivery.Status.SENT and post.print_batch == batch
    assert not Case.objects.get(pk=case.pk).support_flag  # post took over: nobody needed

    client.force_login(make_user(case.creditor))
    page = client.get(f"/c/{case.creditor_id}/cases/{case.number}/").content.decode()
    assert "Failed" in page and "(2 attempts: ConnectionRefusedError" in page
    with translation.override("en"):
        assert f"Post, print batch of {day(TODAY, case.creditor)}" in page


def test_a_bounce_is_recorded_once_and_the_letter_goes_by_post(
    make_creditor, make_case, django_capture_on_commit_callbacks
):
    case, letter = emailed_case(make_creditor, make_case, django_capture_on_commit_callbacks)
    email = Delivery.objects.get(letter=letter)
    call_command(
        "delivery_bounce", "--message-id", email.message_id, "--reason", "550 5.1.1 user unknown"
    )
    email.refresh_from_db()
    assert email.status == Delivery.Status.BOUNCED and email.bounced_at
    assert email.last_error == "Bounced: 550 5.1.1 user unknown"
    post = Delivery.objects.get(letter=letter, channel=POST)
    assert post.status == Delivery.Status.QUEUED
    again = delivery_bounce(message_id=email.message_id, reason="550 again")
    assert again.bounced_at == email.bounced_at and again.last_error == email.last_error
    assert Delivery.objects.filter(letter=letter).count() == 2
    assert len(mail.outbox) == 1  # the bounced address is not tried again


def test_returned_post_puts_the_case_in_supports_queue(
    make_creditor, make_case, django_capture_on_commit_callbacks, capsys
):
    case = make_case(make_creditor())
    with django_capture_on_commit_callbacks(execute=True):
        case_advance(case_id=case.pk, today=TODAY)
    post = Delivery.objects.get(letter__case=case)
    assert post.channel == POST and post.status == Delivery.Status.QUEUED
    with pytest.raises(Exception, match="it was not sent"):
        delivery_bounce(delivery_id=post.pk, reason="too early")
    print_batch_build(creditor_id=case.creditor_id, day=TODAY)
    call_command("delivery_bounce", "--delivery", str(post.pk), "--reason", "Addressee unknown")
    assert f"delivery {post.pk} (post)" in capsys.readouterr().out
    case.refresh_from_db()
    assert case.support_flag.startswith("The reminder letter of 2026-11-02 came back")
    tickets_refresh()
    ticket = Ticket.objects.get(kind=Ticket.Kind.DELIVERY, case=case)
    assert "Addressee unknown" in ticket.subject
    assert not Ticket.objects.filter(kind=Ticket.Kind.FLAGGED_CASE, case=case).exists()
