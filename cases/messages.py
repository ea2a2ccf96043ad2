"""Conversations between a creditor's staff and us (support): a thread per case, and one about the
creditor in general (messages without a case). Support answers from the support console; the
creditor reads and writes in the portal and the API."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Message
from creditors.models import Creditor

MAX_BODY = 10_000


@transaction.atomic
def message_post(
    *, creditor: Creditor, case: Case | None = None, author, body: str, from_support: bool = False
) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("A message cannot be empty."))
    if len(body) > MAX_BODY:
        raise ValidationError(_("A message can be at most %(max)d characters.") % {"max": MAX_BODY})
    # A case of another creditor would put the message in the wrong tenant's thread.
    if case is not None and case.creditor_id != creditor.pk:
        raise ValidationError("the case belongs to another creditor")
    return Message.objects.create(
        creditor=creditor, case=case, author=author, body=body, from_support=from_support
    )


def case_thread(*, creditor: Creditor, case: Case) -> QuerySet[Message]:
    return Message.objects.for_creditor(creditor).filter(case=case).select_related("author")


def creditor_thread(*, creditor: Creditor) -> QuerySet[Message]:
    """The creditor's general conversation with us: the messages not about one case."""
    return Message.objects.for_creditor(creditor).filter(case__isnull=True).select_related("author")


def messages_unread(*, creditor: Creditor, for_support: bool) -> QuerySet[Message]:
    """What the reader has not seen yet: support reads the creditor's messages and vice versa."""
    return Message.objects.for_creditor(creditor).filter(
        from_support=not for_support, read_at__isnull=True
    )


def messages_mark_read(*, creditor: Creditor, case: Case | None = None, for_support: bool) -> int:
    """Mark the other side's messages in one thread (the case's, or the general one) as read."""
    qs = messages_unread(creditor=creditor, for_support=for_support)
    qs = qs.filter(case=case) if case is not None else qs.filter(case__isnull=True)
    return qs.update(read_at=timezone.now())
