"""Writes on cases: open, advance, pause, resume, withdraw, write off, decide. Each service is
atomic, takes the case's row lock and records what it did in the case history."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cases import closing, engine
from cases.describe import WHY
from cases.ledger import balances, entries_post
from cases.lifecycle import InvalidTransition
from cases.models import Case, CaseEvent, Debtor, Invoice, LedgerEntry
from cases.rules import country_rules
from nordic.references import reference_for_case

logger = logging.getLogger("autocollect.cases")
C = LedgerEntry.Component
CASE_NUMBER_OFFSET = 1_000_000


def event_add(case: Case, kind: str, message: str = "", *, actor=None, **data) -> CaseEvent:
    return CaseEvent.objects.create(
        creditor_id=case.creditor_id,
        case=case,
        kind=kind,
        message=message,
        data=data,
        actor=actor,
    )


def locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("creditor", "debtor")
        .get(pk=case.pk)
    )


@transaction.atomic
def case_open(
    *, creditor, debtor: Debtor, invoices: list[Invoice], today: dt.date, backlog: bool = False
) -> Case:
    """Open a case on invoices that have none; the first letter goes out on the next advance.
    `backlog`: overdue at the creditor's activation, so the reminder carries no fee."""
    if not invoices:
        raise ValueError("a case needs at least one invoice")
    case = Case.objects.create(
        creditor=creditor,
        debtor=debtor,
        country=creditor.country,
        currency=invoices[0].currency,
        opened_on=today,
        next_action_on=today,
        backlog=backlog,
    )
    case.number = str(CASE_NUMBER_OFFSET + case.pk)
    case.payment_reference = reference_for_case(
        creditor.country, case.number, kid_algorithm=creditor.kid_algorithm
    )
    case.save(update_fields=["number", "payment_reference"])
    entries = []
    for invoice in invoices:
        if invoice.case_id is not None:
            raise ValueError(f"invoice {invoice.number} is in case {invoice.case_id} already")
        if invoice.currency != case.currency:
            raise ValueError(
                f"invoice {invoice.number} is in {invoice.currency}, not {case.currency}"
            )
        invoice.case = case
        invoice.save(update_fields=["case"])
        entries.append(
            LedgerEntry(
                creditor=creditor,
                case=case,
                kind=LedgerEntry.Kind.CHARGE,
                component=C.CAPITAL,
                amount=invoice.outstanding_amount,
                booked_on=today,
                invoice=invoice,
                description=f"Invoice {invoice.number}",
                params={"what": "invoice", "invoice": invoice.number},
                key=f"capital:invoice:{invoice.pk}",
            )
        )
    entries_post(entries)
    event_add(
        case,
        "opened",
        f"Case opened on invoice(s) {', '.join(i.number for i in invoices)}",
        invoices=[i.number for i in invoices],
    )
    return case


def case_close(
    *, case: Case, outcome: str, message: str = "", actor=None, note: str = "", why: str = ""
) -> None:
    """Close the case (the caller holds its lock). Closing twice is a no-op. The batch engine
    closes through the same cases.closing path."""
    event = closing.close(case, outcome=outcome, message=message, actor=actor, note=note, why=why)
    if event is None:
        return
    case.save(update_fields=closing.FIELDS)
    event.save()


def case_flag(*, case: Case, reason: str, flag: str = "", **params) -> None:
    """Put the case in support's queue with the reason (kept short: the first flag's reason
    stays until support clears it, later ones are recorded in the history only). `flag`: a code
    of cases.describe.FLAGS with its `params`, for the history in the reader's language."""
    if not case.support_flag:
        Case.objects.filter(pk=case.pk).update(
            support_flag=reason[:200], support_flagged_at=timezone.now()
        )
        case.support_flag = reason[:200]
    event_add(case, "flagged", reason, note="", **({"flag": flag, **params} if flag else {}))


def case_flag_clear(*, case: Case, actor, note: str = "", why: str = "") -> None:
    """Support has dealt with what the flag was about (`why`: a code of cases.describe.WHY)."""
    Case.objects.filter(pk=case.pk).update(support_flag="", support_flagged_at=None)
    case.support_flag = ""
    text = note or _english(why) or "Support cleared the flag"
    event_add(case, "flag_cleared", text, actor=actor, note=note, why=why)


def _english(why: str) -> str:
    """A reason code's text as the history stores it (in English; pages render the code)."""
    if not why:
        return ""
    with translation.override("en"):
        return str(WHY[why])


PAUSE_REASONS = {
    "disputed": _("The debtor disputes the claim"),
    "creditor_hold": _("The creditor put the case on hold"),
    "payment_plan": _("A payment plan is running"),
    # Set by the sync (collection.sync): the invoice may have been cancelled in the ERP.
    "erp_invoice_missing": _("The invoice is no longer in the ERP; on hold for support"),
}


@transaction.atomic
def case_pause(*, case: Case, reason: str, actor=None, note: str = "", why: str = "") -> Case:
    """Stop all letters and fees until resumed (a disputed claim must not be pressed: INKL § 17,
    inkassolagen 4 §, perintälaki 4 c §)."""
    if reason not in PAUSE_REASONS:
        raise ValueError(f"unknown pause reason {reason!r}")
    case = locked(case)
    if case.status != Case.Status.OPEN:
        raise InvalidTransition(f"case {case.number} is {case.status}, it cannot be paused")
    case.status, case.pause_reason = Case.Status.PAUSED, reason
    case.save(update_fields=["status", "pause_reason"])
    with translation.override("en"):  # the history is stored in one language, whoever pauses
        message = f"{PAUSE_REASONS[reason]}. {note or _english(why)}".strip()
    event_add(case, "paused", message, actor=actor, reason=reason, note=note, why=why)
    return case


@transaction.atomic
def case_resume(*, case: Case, today: dt.date, actor=None, note: str = "", why: str = "") -> Case:
    """Resume a paused case: its due step runs on the next advance (today at the earliest)."""
    case = locked(case)
    if case.status != Case.Status.PAUSED:
        raise InvalidTransition(f"case {case.number} is not paused")
    case.status, case.pause_reason = Case.Status.OPEN, ""
    if case.stage != Case.Stage.DECISION or case.next_action_on is None:
        case.next_action_on = max(case.next_action_on or today, today)
    case.save(update_fields=["status", "pause_reason", "next_action_on"])
    text = note or _english(why) or "Collection resumed"
    event_add(case, "resumed", text, actor=actor, note=note, why=why)
    return case


@transaction.atomic
def case_withdraw(*, case: Case, today: dt.date, actor=None, note: str = "", why: str = "") -> Case:
    """The creditor takes the claim back. What the debtor owes us in fees is cancelled: a
    withdrawn claim is no longer collected by us. `why`: a code of cases.describe.WHY."""
    case = locked(case)
    if case.status == Case.Status.CLOSED:
        raise InvalidTransition(f"case {case.number} is closed")
    _clear_balances(
        case, today, LedgerEntry.Kind.CREDIT, "withdrawn", (C.FEE, C.INTEREST), what="withdrawn"
    )
    case_close(
        case=case,
        outcome=Case.Outcome.WITHDRAWN,
        actor=actor,
        message=note or _english(why) or "Withdrawn by the creditor",
        note=note,
        why=why,
    )
    return case


@transaction.atomic
def case_write_off(*, case: Case, today: dt.date, actor=None, note: str = "") -> Case:
    """Give up the claim: everything still owed is written off in the ledger, which stays
    balanced (outstanding becomes zero through write-off entries, nothing is deleted)."""
    case = locked(case)
    if case.status == Case.Status.CLOSED:
        raise InvalidTransition(f"case {case.number} is closed")
    engine_facts = engine.load_facts([case])[0]
    rules = country_rules(case.country)
    entries_post(engine.interest_entries(engine_facts, rules, engine_facts.claim(), today))
    _clear_balances(
        case,
        today,
        LedgerEntry.Kind.WRITE_OFF,
        "write-off",
        (C.CAPITAL, C.FEE, C.INTEREST),
        what="write_off",
    )
    case_close(
        case=case,
        outcome=Case.Outcome.WRITTEN_OFF,
        actor=actor,
        message=note or "Written off",
        note=note,
    )
    return case


def _clear_balances(case, today, kind, label, components, *, what: str) -> None:
    owed = balances(case)
    entries_post(
        [
            LedgerEntry(
                creditor_id=case.creditor_id,
                case=case,
                kind=kind,
                component=component,
                amount=-owed[component],
                booked_on=today,
                key=f"{kind}:{component}",
                description=label,
                params={"what": what},
            )
            for component in components
            if owed[component] > 0
        ]
    )


@transaction.atomic
def decision_answer(*, case: Case, option: str, today: dt.date, actor) -> Case:
    """The creditor's answer to the open decision request."""
    case = locked(case)
    facts = engine.load_facts([case])[0]
    decision = facts.open_decision
    if case.stage != Case.Stage.DECISION or decision is None:
        raise InvalidTransition(f"case {case.number} awaits no decision")
    if option not in decision.options:
        raise InvalidTransition(f"{option!r} is not an option here ({', '.join(decision.options)})")
    decision.answer, decision.answered_by, decision.answered_at = option, actor, timezone.now()
    rules = country_rules(case.country)
    w = engine.Writes(decided=[decision])  # engine.write saves it and clears the case's deadline
    engine.apply_decision(
        facts, rules, facts.claim(), option, today, w, actor=actor, why="creditor_decided"
    )
    engine.write(w)  # a "close" goes through cases.closing there, as every close does
    return case
