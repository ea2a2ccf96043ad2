"""Tickets from where the work lives: creditor messages, failed imports, quarantined records,
unmatched payments, letters that keep failing, flagged cases and missed decision deadlines.
tickets_refresh runs from beat and when the console opens; it is idempotent (one ticket per kind
and source, a database constraint) and cheap: one query per source for what needs a person now,
one for the tickets that exist, and bulk writes."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from cases.models import Case, DecisionRequest, Message
from collection.models import QuarantinedRecord, SyncRun
from letters.models import Delivery, Letter
from settlements.models import IncomingPayment
from support.models import Ticket

K = Ticket.Kind
SUBJECT = Ticket._meta.get_field("subject").max_length
# Missed deadlines are looked for this far back: an older one has had its default applied long
# ago and is no news; the ticket stays until someone closes it.
DEADLINE_WINDOW = dt.timedelta(days=30)
# Kinds whose ticket closes by itself once its source needs no one (a record imported, a payment
# matched, a letter sent, a flag cleared, a later import that worked). A message thread or a
# missed deadline is closed by a person.
AUTO_CLOSE = {K.SYNC_FAILED, K.QUARANTINED, K.UNMATCHED_PAYMENT, K.DELIVERY, K.FLAGGED_CASE}


@dataclass(frozen=True)
class Live:
    """A source that needs a person now. `since`: when that began; a ticket closed before then
    opens again (a new message in a closed thread, a case flagged again)."""

    source: str
    creditor_id: int | None
    case_id: int | None
    subject: str
    since: dt.datetime | None = None


def tickets_refresh(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Open, reopen and close tickets to match their sources; returns the changes by kind."""
    now = now or timezone.now()
    deliveries = _deliveries()
    sources = {
        K.MESSAGE: _message_threads(),
        K.SYNC_FAILED: _failed_imports(),
        K.QUARANTINED: _quarantined(),
        K.UNMATCHED_PAYMENT: _unmatched_payments(),
        K.DELIVERY: deliveries,
        K.FLAGGED_CASE: _flagged_cases(skip_cases={x.case_id for x in deliveries}),
        K.MISSED_DEADLINE: _missed_deadlines(now),
    }
    changes = {}
    for kind, live in sources.items():
        changes[kind.value] = _sync_kind(kind, {x.source: x for x in live}, now)
    return changes


@transaction.atomic
def _sync_kind(kind: str, live: dict[str, Live], now: dt.datetime) -> int:
    existing = {
        t.source: t
        for t in Ticket.objects.filter(kind=kind)
        .filter(Q(status=Ticket.Status.OPEN) | Q(source__in=list(live)))
        .only("pk", "source", "status", "closed_at")
    }
    new = [
        Ticket(
            kind=kind,
            source=x.source,
            creditor_id=x.creditor_id,
            case_id=x.case_id,
            subject=x.subject[:SUBJECT],
            opened_at=now,
        )
        for source, x in live.items()
        if source not in existing
    ]
    # ignore_conflicts: a refresh running at the same time may have opened it a moment ago.
    Ticket.objects.bulk_create(new, ignore_conflicts=True)
    reopen = [
        t.pk
        for source, t in existing.items()
        if source in live
        and t.status == Ticket.Status.CLOSED
        and live[source].since is not None
        and t.closed_at < live[source].since
    ]
    close = [
        t.pk
        for source, t in existing.items()
        if kind in AUTO_CLOSE and source not in live and t.status == Ticket.Status.OPEN
    ]
    if reopen:
        Ticket.objects.filter(pk__in=reopen).update(
            status=Ticket.Status.OPEN, closed_at=None, closed_by=None, opened_at=now
        )
    if close:
        Ticket.objects.filter(pk__in=close).update(
            status=Ticket.Status.CLOSED, closed_at=now, closed_by=None
        )
    return len(new) + len(reopen) + len(close)


def thread_source(*, creditor_id: int, case_id: int | None) -> str:
    return f"case:{case_id}" if case_id else f"creditor:{creditor_id}"


def _message_threads() -> list[Live]:
    # Unread messages from creditors are few (support reads them): read them whole.
    threads: dict[str, Live] = {}
    unread = (
        Message.objects.filter(from_support=False, read_at__isnull=True)
        .order_by("created_at", "pk")
        .values_list("creditor_id", "case_id", "body", "created_at")
    )
    for creditor_id, case_id, body, created_at in unread:
        source = thread_source(creditor_id=creditor_id, case_id=case_id)
        first = threads.get(source)
        subject = first.subject if first else " ".join(body.split())
        threads[source] = Live(source, creditor_id, case_id, subject, since=created_at)
    return list(threads.values())


def _failed_imports() -> list[Live]:
    """Failed runs since the creditor's last run that worked (that run closes them)."""
    last_ok = dict(
        SyncRun.objects.filter(status=SyncRun.Status.OK)
        .values("creditor_id")
        .annotate(last=Max("started_at"))
        .values_list("creditor_id", "last")
    )
    failed = SyncRun.objects.filter(status=SyncRun.Status.FAILED).values_list(
        "pk", "creditor_id", "started_at", "error"
    )
    return [
        Live(f"{pk}", creditor_id, None, error or "-")
        for pk, creditor_id, started_at, error in failed
        if creditor_id not in last_ok or started_at > last_ok[creditor_id]
    ]


def _quarantined() -> list[Live]:
    rows = QuarantinedRecord.objects.filter(resolved_at=None).values_list(
        "pk", "creditor_id", "case_id", "kind", "erp_id", "reason"
    )
    return [
        Live(f"{pk}", creditor_id, case_id, f"{kind} {erp_id}: {reason}")
        for pk, creditor_id, case_id, kind, erp_id, reason in rows
    ]


def _unmatched_payments() -> list[Live]:
    rows = IncomingPayment.objects.filter(status=IncomingPayment.Status.UNMATCHED).values_list(
        "pk", "amount", "raw_amount", "currency", "reference", "reason"
    )
    return [
        Live(f"{pk}", None, None, f"{raw if amount is None else amount} {cur} {ref}: {why}")
        for pk, amount, raw, cur, ref, why in rows
    ]


def _deliveries() -> list[Live]:
    rows = Letter.objects.filter(
        status=Letter.Status.PENDING,
        render_attempts__gte=settings.AUTOCOLLECT_LETTER_RENDER_ATTEMPTS,
    ).values_list("pk", "creditor_id", "case_id", "stage", "letter_date", "last_error")
    letters = [
        Live(f"{pk}", creditor_id, case_id, f"{stage} {letter_date}: {error}")
        for pk, creditor_id, case_id, stage, letter_date, error in rows
    ]
    # Post that came back or could not be printed (an e-mail that fails goes by post instead).
    posted = Delivery.objects.filter(channel=Delivery.Channel.POST).filter(
        Q(status=Delivery.Status.BOUNCED)
        | Q(status=Delivery.Status.FAILED, attempts__gte=settings.AUTOCOLLECT_DELIVERY_ATTEMPTS)
    )
    rows = posted.values_list(
        "pk", "creditor_id", "letter__case_id", "letter__stage", "letter__letter_date", "last_error"
    )
    return letters + [
        Live(f"delivery:{pk}", creditor_id, case_id, f"{stage} {letter_date} post: {error}")
        for pk, creditor_id, case_id, stage, letter_date, error in rows
    ]


def _flagged_cases(*, skip_cases: set[int]) -> list[Live]:
    """Cases flagged for support, except those whose flag is a failing letter (that has its
    own ticket)."""
    rows = Case.objects.exclude(support_flag="").values_list(
        "pk", "creditor_id", "support_flag", "support_flagged_at"
    )
    return [
        Live(f"{pk}", creditor_id, pk, flag, since=flagged_at)
        for pk, creditor_id, flag, flagged_at in rows
        if pk not in skip_cases
    ]


def _missed_deadlines(now: dt.datetime) -> list[Live]:
    """Decisions nobody answered by the deadline (the default applied, or is about to)."""
    today = timezone.localdate(now)
    rows = DecisionRequest.objects.filter(
        answered_at__isnull=True, deadline__lt=today, deadline__gte=today - DEADLINE_WINDOW
    ).values_list("pk", "creditor_id", "case_id", "deadline", "default_option")
    return [
        Live(f"{pk}", creditor_id, case_id, f"{deadline}: {default}")
        for pk, creditor_id, case_id, deadline, default in rows
    ]
