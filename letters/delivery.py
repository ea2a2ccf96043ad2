"""Getting a rendered letter to the debtor: delivery channels behind one interface, the choice of
channel, retries and bounces. The print batch that carries the post is letters.printing.

Channels. A `DeliveryChannel` says where it would reach the debtor (`address`, "" when it cannot)
and, unless it is `batched`, sends one letter now (`send`). `CHANNELS` names them:

- "email": the letter's PDF attached to a short message in the letter's language, through Django's
  e-mail backend (EMAIL_BACKEND: the console in the embedded default, locmem in tests, SMTP or a
  provider's backend in production). Each message has a Message-ID of its own delivery, so a
  provider's bounce report finds it (`delivery_bounce`).
- "post": batched; the letter waits for its creditor's daily print batch (letters.printing).

Which channel (our decision from ../shared/domain-rules.md; `channel_for`):

- post when the debtor has no valid e-mail address;
- post for a Finnish consumer's maksuvaatimus (stages demand and demand_2): perintälaki 5 § wants it
  in writing, other durable means only with the debtor's consent (at most 12 months, revocable),
  and we record no such consent;
- post for the notice before legal action (enforcement_notice) in every country: it is the step
  before Kronofogden, the forliksråd or the käräjäoikeus (in Norway tvangsfullbyrdelsesloven
  § 4-18 wants a written varsel), where we want the letter on paper;
- e-mail otherwise: Swedish and Norwegian reminders, notices and demands, and Finnish reminders
  and business demands, may go by e-mail.

An e-mail that bounces, or that still fails after AUTOCOLLECT_DELIVERY_ATTEMPTS attempts, is
followed by post (one delivery per letter and channel, a database constraint). A post delivery
that fails that often, or comes back, puts the case in support's queue (and support.refresh opens
a "Failed delivery" ticket).

Never twice: a delivery is sent with its row locked, and a sent or bounced one is left alone. The
only gap is a worker that dies after the mail server took the message and before the commit;
the retry then sends the same Message-ID again, which the receiving side may drop as a duplicate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.services import case_flag
from letters.models import Delivery, Letter
from letters.rendering import letter_language, letter_title
from letters.services import letter_context
from nordic.formatting import format_date, format_money

logger = logging.getLogger("autocollect.letters")
D = Delivery.Status
RETRY_FIRST = dt.timedelta(minutes=5)  # then 10, 20, 40 min ... at most a day apart
RETRY_MAX_GAP = dt.timedelta(days=1)
# Sent letters without a delivery are picked up by the sweep after this (their render task
# normally starts the delivery at once), and only this far back: letters rendered before
# deliveries existed are not sent now.
SWEEP_GRACE = dt.timedelta(minutes=10)
SWEEP_WINDOW = dt.timedelta(days=2)

# (country or None for any, stage, debtor kind or None for any): these go by post.
POST_ONLY = {
    ("FI", "demand", "consumer"),
    ("FI", "demand_2", "consumer"),
    (None, "enforcement_notice", None),
}


class DeliveryError(Exception):
    """This delivery cannot go now (no address, the archived PDF does not match its checksum)."""


def max_attempts() -> int:
    return settings.AUTOCOLLECT_DELIVERY_ATTEMPTS


def valid_email(address: str) -> bool:
    try:
        validate_email(address.strip())
    except ValidationError:
        return False
    return bool(address.strip())


def channel_for(*, country: str, stage: str, debtor_kind: str, email: str) -> str:
    """The channel a letter goes by first (see the module docstring)."""
    for c, s, k in POST_ONLY:
        if c in (None, country) and s == stage and k in (None, debtor_kind):
            return Delivery.Channel.POST
    return Delivery.Channel.EMAIL if valid_email(email) else Delivery.Channel.POST


def archived_pdf(letter: Letter) -> bytes:
    """The letter's PDF as it was archived, checked against its SHA-256."""
    with letter.file.open("rb") as fh:
        pdf = fh.read()
    if hashlib.sha256(pdf).hexdigest() != letter.sha256:
        raise DeliveryError(f"letter {letter.pk}: the PDF on file does not match its SHA-256")
    return pdf


# --- Channels -----------------------------------------------------------------------------------


class DeliveryChannel(Protocol):
    name: str
    batched: bool  # True: sent with others later (the print batch), not by `send`

    def address(self, letter: Letter) -> str:
        """Where this channel reaches the letter's debtor; "" when it cannot."""

    def send(self, delivery: Delivery) -> str:
        """Send the letter now; returns the message's id. Raises when it did not go."""


EMAIL_TEXT = {
    "sv": ("Bifogat: {title}, ärende {number} ({creditor}).\n\nAtt betala: {total} senast "
           "{pay_by}. Betalningsinformationen står i brevet.\n\nFrågor? Svara på det här mejlet "
           "eller ring {phone}.\n\nMed vänlig hälsning\n{collector}"),
    "nb": ("Vedlagt: {title}, sak {number} ({creditor}).\n\nÅ betale: {total} innen {pay_by}. "
           "Betalingsinformasjonen står i brevet.\n\nSpørsmål? Svar på denne e-posten eller ring "
           "{phone}.\n\nMed vennlig hilsen\n{collector}"),
    "fi": ("Liitteenä: {title}, asia {number} ({creditor}).\n\nMaksettava: {total} viimeistään "
           "{pay_by}. Maksutiedot ovat kirjeessä.\n\nKysyttävää? Vastaa tähän viestiin tai soita "
           "{phone}.\n\nYstävällisin terveisin\n{collector}"),
    "en": ("Attached: {title}, case {number} ({creditor}).\n\nAmount to pay: {total} by "
           "{pay_by}. The payment details are in the letter.\n\nQuestions? Reply to this e-mail "
           "or call {phone}.\n\nKind regards\n{collector}"),
}  # fmt: skip


class EmailChannel:
    name = Delivery.Channel.EMAIL
    batched = False

    def address(self, letter: Letter) -> str:
        email = letter.case.debtor.email.strip()
        return email if valid_email(email) else ""

    def send(self, delivery: Delivery) -> str:
        if not delivery.address:
            raise DeliveryError("no valid e-mail address")
        letter = delivery.letter
        case = letter.case
        pdf = archived_pdf(letter)
        # The message is in the language the letter is written in, under the letter's title.
        ctx = letter_context(letter=letter)
        lang, title = letter_language(ctx), letter_title(ctx)
        sender = settings.AUTOCOLLECT_SENDER.get(case.country, {})
        body = EMAIL_TEXT[lang].format(
            title=title,
            number=case.number,
            creditor=case.creditor.legal_name,
            total=format_money(letter.total, letter.currency, lang),
            pay_by=format_date(letter.pay_by, lang),
            phone=sender.get("phone", ""),
            collector=sender.get("name", ""),
        )
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip()
        message_id = f"<delivery-{delivery.pk}.{letter.sha256[:16]}@{domain}>"
        from_email = (
            f"{sender['name']} <{sender['email']}>"
            if sender.get("email")
            else settings.DEFAULT_FROM_EMAIL
        )
        message = EmailMessage(
            subject=f"{title} {case.number}",
            body=body,
            from_email=from_email,
            to=[delivery.address],
            headers={"Message-ID": message_id},
        )
        message.attach(f"{case.number}-{letter.stage}.pdf", pdf, "application/pdf")
        message.send(fail_silently=False)
        return message_id


class PostChannel:
    name = Delivery.Channel.POST
    batched = True

    def address(self, letter: Letter) -> str:
        debtor = letter.case.debtor
        if not debtor.address_lines:
            return ""
        lines = [debtor.name, *debtor.address_lines]
        if debtor.country and debtor.country != letter.case.country:
            lines.append(debtor.country)
        return "\n".join(lines)

    def send(self, delivery: Delivery) -> str:
        raise DeliveryError("post goes with the creditor's daily print batch")


CHANNELS: dict[str, DeliveryChannel] = {c.name: c for c in (EmailChannel(), PostChannel())}


# --- Services -----------------------------------------------------------------------------------


def delivery_queue(*, letter: Letter, channel: str) -> Delivery:
    """The letter's delivery by this channel, created once (a second call finds the first)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                creditor_id=letter.creditor_id,
                letter=letter,
                channel=channel,
                address=CHANNELS[channel].address(letter),
            )
    except IntegrityError:
        return Delivery.objects.get(letter=letter, channel=channel)


def delivery_start(*, letter_id: int) -> Delivery | None:
    """A sent letter's first delivery, by the channel `channel_for` picks; None while the
    letter has no PDF. A letter that already has a delivery keeps it."""
    letter = Letter.objects.select_related("case__debtor", "case__creditor").get(pk=letter_id)
    if letter.status != Letter.Status.SENT:
        return None
    first = letter.deliveries.order_by("pk").first()
    if first is not None:
        return first
    debtor = letter.case.debtor
    channel = channel_for(
        country=letter.case.country, stage=letter.stage, debtor_kind=debtor.kind, email=debtor.email
    )
    return delivery_queue(letter=letter, channel=channel)


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> Delivery:
    """Send a queued or failed delivery of an immediate channel now. A sent or bounced one, or
    one for the print batch, is returned as it is. A failure is recorded, not raised."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("letter__case__debtor", "letter__case__creditor")
            .get(pk=delivery_id)
        )
        channel = CHANNELS[delivery.channel]
        if delivery.status in (D.SENT, D.BOUNCED) or channel.batched:
            return delivery
        try:
            message_id = channel.send(delivery)
        except Exception as exc:
            logger.warning("delivery %s failed: %s", delivery_id, exc)
            delivery_failed(delivery=delivery, error=exc, now=now)
        else:
            delivery.status, delivery.sent_at, delivery.message_id = D.SENT, now, message_id
            delivery.attempts += 1
            delivery.last_attempt_at, delivery.next_attempt_at = now, None
            delivery.last_error = ""
            delivery.save()
    if delivery.status == D.FAILED and delivery.attempts >= max_attempts():
        delivery_queue(letter=delivery.letter, channel=Delivery.Channel.POST)
    return delivery


def letter_deliver(*, letter_id: int) -> Delivery | None:
    """Start a sent letter's delivery and send it if its channel is immediate (the render task
    calls this after each letter). Never raises: the sweep picks up what did not happen."""
    try:
        delivery = delivery_start(letter_id=letter_id)
        if delivery is not None and not CHANNELS[delivery.channel].batched:
            delivery = delivery_send(delivery_id=delivery.pk)
        return delivery
    except Exception:
        logger.exception("letter %s: the delivery could not be started", letter_id)
        return None


def delivery_failed(*, delivery: Delivery, error: Exception | str, now: dt.datetime) -> None:
    """Record a failed attempt on a locked delivery and when to try again; the attempt that
    uses the last one puts a post delivery's case in support's queue."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    delivery.attempts += 1
    delivery.status, delivery.last_error = D.FAILED, text[:2000]
    delivery.last_attempt_at = now
    if delivery.attempts < max_attempts():
        delivery.next_attempt_at = now + min(
            RETRY_FIRST * 2 ** (delivery.attempts - 1), RETRY_MAX_GAP
        )
    else:
        delivery.next_attempt_at = None
    delivery.save()
    if delivery.attempts == max_attempts() and delivery.channel == Delivery.Channel.POST:
        letter = delivery.letter
        case_flag(
            case=letter.case,
            reason=(
                f"The {letter.stage} letter of {letter.letter_date} could not be posted "
                f"({delivery.attempts} attempts): {text}"
            ),
            flag="letter_not_posted",  # cases.describe.FLAGS
            stage=letter.stage,
            date=letter.letter_date.isoformat(),
            attempts=delivery.attempts,
            error=str(text),
        )


def delivery_bounce(
    *,
    delivery_id: int | None = None,
    message_id: str = "",
    reason: str,
    now: dt.datetime | None = None,
) -> Delivery:
    """Record that a sent delivery came back (a bounced e-mail, returned post), found by its id
    or its e-mail Message-ID. An e-mail is followed by post; returned post flags the case.
    Recording the same bounce twice changes nothing."""
    if delivery_id is None and not message_id:
        raise ValueError("a bounce names a delivery id or a Message-ID")
    now = now or timezone.now()
    lookup = Q(pk=delivery_id) if delivery_id is not None else Q(message_id=message_id.strip())
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("letter__case__debtor", "letter__case__creditor")
            .get(lookup)
        )
        if delivery.status == D.BOUNCED:
            return delivery
        if delivery.status != D.SENT:
            raise DeliveryError(f"delivery {delivery.pk} is {delivery.status}: it was not sent")
        delivery.status, delivery.bounced_at = D.BOUNCED, now
        delivery.last_error = f"Bounced: {reason}"[:2000]
        delivery.save(update_fields=["status", "bounced_at", "last_error"])
        letter = delivery.letter
        if delivery.channel == Delivery.Channel.POST:
            case_flag(
                case=letter.case,
                reason=f"The {letter.stage} letter of {letter.letter_date} came back: {reason}",
                flag="letter_returned",  # cases.describe.FLAGS
                stage=letter.stage,
                date=letter.letter_date.isoformat(),
                detail=reason,
            )
    if delivery.channel == Delivery.Channel.EMAIL:
        delivery_queue(letter=letter, channel=Delivery.Channel.POST)
    return delivery


def deliveries_due(*, now: dt.datetime, limit: int = 5000) -> tuple[list[int], list[int]]:
    """For the sweep: (sent letters that have no delivery yet, immediate deliveries whose retry
    is due)."""
    letters = list(
        Letter.objects.filter(
            status=Letter.Status.SENT,
            rendered_at__lte=now - SWEEP_GRACE,
            rendered_at__gte=now - SWEEP_WINDOW,
            deliveries__isnull=True,
        ).values_list("pk", flat=True)[:limit]
    )
    immediate = [name for name, c in CHANNELS.items() if not c.batched]
    retries = list(
        Delivery.objects.filter(
            channel__in=immediate,
            status__in=[D.QUEUED, D.FAILED],
            attempts__lt=max_attempts(),
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(created_at__lte=now - SWEEP_GRACE)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return letters, retries
