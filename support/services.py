"""What support staff do with a ticket: assign, reply, close; and put an unmatched payment on its
case by hand. Each service is atomic and guards the ticket's state."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.messages import message_post, messages_mark_read
from cases.models import Case, Message
from cases.services import case_flag_clear
from collection.payments import incoming_payment_match
from settlements.models import IncomingPayment
from support.models import Ticket


def _locked(ticket: Ticket) -> Ticket:
    # of=self: the creditor and case are nullable joins, which PostgreSQL cannot lock
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("creditor", "case")
        .get(pk=ticket.pk)
    )


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee) -> Ticket:
    """Give the ticket to a support user (None: to nobody)."""
    if assignee is not None and not assignee.is_staff:
        raise ValidationError(_("Only support staff can be assigned a ticket."))
    ticket = _locked(ticket)
    ticket.assignee = assignee
    ticket.save(update_fields=["assignee"])
    return ticket


@transaction.atomic
def ticket_reply(*, ticket: Ticket, author, body: str) -> Message:
    """Answer the creditor: a message from support on the ticket's case thread (or the creditor's
    general thread), which the creditor sees in the portal. The creditor's messages in that thread
    count as read; the ticket goes to the author if it had nobody."""
    ticket = _locked(ticket)
    if ticket.creditor is None:
        raise ValidationError(_("This ticket belongs to no creditor: there is no one to answer."))
    message = message_post(
        creditor=ticket.creditor, case=ticket.case, author=author, body=body, from_support=True
    )
    messages_mark_read(creditor=ticket.creditor, case=ticket.case, for_support=True)
    if ticket.assignee_id is None:
        ticket.assignee = author
        ticket.save(update_fields=["assignee"])
    return message


@transaction.atomic
def ticket_close(*, ticket: Ticket, user) -> Ticket:
    ticket = _locked(ticket)
    if ticket.status == Ticket.Status.CLOSED:
        return ticket
    if ticket.kind == Ticket.Kind.MESSAGE:
        # Closed means dealt with: the thread's messages so far are read, and only a new one
        # opens the ticket again (support.refresh).
        messages_mark_read(creditor=ticket.creditor, case=ticket.case, for_support=True)
    if ticket.kind == Ticket.Kind.FLAGGED_CASE and ticket.case is not None:
        case_flag_clear(case=ticket.case, actor=user, why="ticket_closed")
    ticket.status, ticket.closed_at, ticket.closed_by = Ticket.Status.CLOSED, timezone.now(), user
    ticket.save(update_fields=["status", "closed_at", "closed_by"])
    return ticket


def payment_match_by_hand(*, incoming: IncomingPayment, case: Case, user) -> IncomingPayment:
    """Book an unmatched payment on the case support picked (settled, posted and written back as
    any payment, collection.payments); its ticket closes. A payment already booked is refused,
    so a second click books nothing."""
    with transaction.atomic():
        try:
            incoming = incoming_payment_match(incoming=incoming, case=case)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        Ticket.objects.filter(
            kind=Ticket.Kind.UNMATCHED_PAYMENT, source=str(incoming.pk), status=Ticket.Status.OPEN
        ).update(
            status=Ticket.Status.CLOSED,
            closed_at=timezone.now(),
            closed_by=user,
            creditor=case.creditor,
            case=case,
        )
    return incoming
