"""A case's history and ledger lines in the reader's language, rendered when they are shown.

What happened is stored as data: an event's kind with its parameters (CaseEvent.data), a ledger
entry's `params` ({"what": "interest", "from": ..., "to": ..., "rate": ...}). One function per
kind turns them into text in the active language, with dates and amounts written as the portal
writes them (the page's SHORT_DATE_FORMAT, cases.templatetags.money). The stored English text
(CaseEvent.message, LedgerEntry.description) stays for rows written before their parameters
were, and is what an unknown kind or a row without its parameters shows.

Writers put these keys in the data; `note` is free text a person typed (shown as typed), `why`
one of WHY's codes. Kinds whose old rows carried more in their text than in their data (stage,
closed, paused, resumed, flagged, flag_cleared) are rendered only when the row has `note` (new
rows always write it, "" when there is none)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.models import Case, CaseEvent, LedgerEntry, Payment
from cases.templatetags.money import money
from nordic.formatting import format_percent

# Reasons the system gives (in data["why"]); a person's own words go in data["note"].
WHY = {
    "creditor_decided": gettext_lazy("Decided by the creditor"),
    "default_applied": gettext_lazy("The deadline passed; the creditor's default applies"),
    "closed_by_decision": gettext_lazy("Closed unpaid by decision"),
    "handover": gettext_lazy("Handed over at this stage"),
    "plan_broken": gettext_lazy("Payment plan broken"),
    "plan_in_erp": gettext_lazy("Instalments of a payment plan arrive in the ERP"),
    "ticket_closed": gettext_lazy("Support closed the ticket"),
    "netvisor_removed": gettext_lazy("Stopped: the Netvisor service was removed"),
}

# Why a case was put in support's queue (data["flag"] with its parameters).
FLAGS = {
    "erp_invoice_missing": gettext_lazy("Invoice %(invoice)s is no longer in %(erp)s (%(detail)s)"),
    "payment_reversed": gettext_lazy("A payment that closed case %(number)s was reversed"),
    "letter_failed": gettext_lazy(
        "The %(stage)s letter of %(date)s could not be made (%(attempts)s attempts; it is "
        "retried): %(error)s"
    ),
    "letter_not_posted": gettext_lazy(
        "The %(stage)s letter of %(date)s could not be posted (%(attempts)s attempts): %(error)s"
    ),
    "letter_returned": gettext_lazy("The %(stage)s letter of %(date)s came back: %(detail)s"),
}

TRANSFERS = {
    "reminder": gettext_lazy("Transferred from the ERP to the reminder service"),
    "collection": gettext_lazy("Transferred from the ERP to collection"),
}


def day(value) -> str:
    """A date (ISO text in the data) in the page's short format."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def stage(code: str) -> str:
    return str(dict(Case.Stage.choices)[code])


def _lang() -> str:
    language = translation.get_language() or "en"
    return language if language in ("sv", "nb", "fi") else "en"


def _joined(text: str, data: dict) -> str:
    """The event's own text, then the system's reason and the person's note, if any."""
    parts = [text]
    if data.get("why"):
        parts.append(str(WHY[data["why"]]))
    if data.get("note"):
        parts.append(data["note"])
    return " · ".join(parts)


# --- events --------------------------------------------------------------------------------


def _opened(d: dict, e: CaseEvent) -> str:
    numbers = d["invoices"]
    return ngettext(
        "Case opened on invoice %(numbers)s",
        "Case opened on invoices %(numbers)s",
        len(numbers),
    ) % {"numbers": ", ".join(numbers)}


def _stage(d: dict, e: CaseEvent) -> str:
    d["note"]  # noqa: B018 (old rows without it keep their stored text)
    return _joined(_("Moved to %(stage)s") % {"stage": stage(e.to_stage)}, d)


def _closed(d: dict, e: CaseEvent) -> str:
    d["note"]  # noqa: B018
    outcome = str(dict(Case.Outcome.choices)[d["outcome"]])
    return _joined(_("Case closed: %(outcome)s") % {"outcome": outcome}, d)


def _paused(d: dict, e: CaseEvent) -> str:
    from cases.services import PAUSE_REASONS

    d["note"]  # noqa: B018
    return _joined(_("Paused: %(reason)s") % {"reason": PAUSE_REASONS[d["reason"]]}, d)


def _resumed(d: dict, e: CaseEvent) -> str:
    d["note"]  # noqa: B018
    return _joined(_("Collection resumed"), d)


def _flagged(d: dict, e: CaseEvent) -> str:
    d["note"]  # noqa: B018
    code = d.get("flag")
    reason = FLAGS[code] % {k: _param(k, v) for k, v in d.items()} if code else e.message
    return _("Flagged for support: %(reason)s") % {"reason": reason}


def _param(key: str, value):
    if key == "date":
        return day(value)
    if key == "stage":
        return stage(value)
    return value


def _flag_cleared(d: dict, e: CaseEvent) -> str:
    d["note"]  # noqa: B018
    return _joined(_("Support cleared the flag"), d)


def _payment(d: dict, e: CaseEvent) -> str:
    source = str(dict(Payment.Source.choices)[d["source"]])
    amount = money(Decimal(d["amount"]), d["currency"])
    return _("Payment of %(amount)s (%(source)s)") % {"amount": amount, "source": source}


def _credit(d: dict, e: CaseEvent) -> str:
    amount = money(Decimal(d["amount"]), d["currency"])
    return _("Credit note of %(amount)s on invoice %(invoice)s") % {
        "amount": amount,
        "invoice": d["invoice_number"],
    }


def _start_stage(d: dict, e: CaseEvent) -> str:
    return _("Starts at %(stage)s") % {"stage": stage(d["stage"])}


def _payment_plan(d: dict, e: CaseEvent) -> str:
    n = d["instalments"]
    return ngettext(
        "Payment plan: %(count)s instalment of %(amount)s",
        "Payment plan: %(count)s instalments of about %(amount)s",
        n,
    ) % {"count": n, "amount": money(Decimal(d["each"]), d["currency"])}


def _plan_broken(d: dict, e: CaseEvent) -> str:
    return _("Instalments of %(due)s were due, %(paid)s paid: collection resumes") % {
        "due": money(Decimal(d["due"]), d["currency"]),
        "paid": money(Decimal(d["paid"]), d["currency"]),
    }


def _advance_failed(d: dict, e: CaseEvent) -> str:
    return _("The next step failed and is retried tomorrow: %(error)s") % {"error": d["error"]}


def _transferred(d: dict, e: CaseEvent) -> str:
    return str(TRANSFERS[d["transfer_kind"]])


def _prior_movements(d: dict, e: CaseEvent) -> str:
    n = len(d["erp_ids"])
    return ngettext(
        "Invoice %(invoice)s: %(amount)s paid or credited in the ERP before the import is in "
        "the imported balance (%(count)s movement), not booked again",
        "Invoice %(invoice)s: %(amount)s paid or credited in the ERP before the import is in "
        "the imported balance (%(count)s movements), not booked again",
        n,
    ) % {
        "invoice": d["invoice_number"],
        "amount": money(Decimal(d["total"]), d["currency"]),
        "count": n,
    }


def _payment_reversed(d: dict, e: CaseEvent) -> str:
    return _("Payment of %(amount)s reversed: corrected in the ERP") % {
        "amount": money(Decimal(d["amount"]), d["currency"])
    }


EVENTS: dict[str, Callable[[dict, CaseEvent], str]] = {
    "opened": _opened,
    "stage": _stage,
    "closed": _closed,
    "paused": _paused,
    "resumed": _resumed,
    "flagged": _flagged,
    "flag_cleared": _flag_cleared,
    "payment": _payment,
    "credit": _credit,
    "start_stage": _start_stage,
    "payment_plan": _payment_plan,
    "payment_plan_broken": _plan_broken,
    "advance_failed": _advance_failed,
    "transferred": _transferred,
    "erp_prior_movements": _prior_movements,
    "payment_reversed": _payment_reversed,
}


def event_text(event: CaseEvent) -> str:
    """What the event records, in the active language; the stored text for an unknown kind or a
    row written without its parameters."""
    render = EVENTS.get(event.kind)
    if render is not None:
        try:
            return render(event.data or {}, event)
        except (KeyError, ValueError, TypeError, ArithmeticError):
            pass
    return event.message or event.kind


# --- ledger entries --------------------------------------------------------------------------


def _interest(p: dict) -> str:
    values = {"from": day(p["from"]), "to": day(p["to"])}
    if p.get("rate"):
        values["rate"] = format_percent(Decimal(p["rate"]), _lang())
        return _("Interest %(rate)s, %(from)s–%(to)s") % values
    return _("Interest %(from)s–%(to)s") % values


FEES = {
    "b2b_compensation": gettext_lazy("Late payment compensation"),
    "payment_plan": gettext_lazy("Payment plan fee"),
}


def _fee(p: dict) -> str:
    if p["fee"] in FEES:
        return str(FEES[p["fee"]])
    return _("Fee: %(stage)s") % {"stage": stage(p["fee"])}


ENTRIES: dict[str, Callable[[dict], str]] = {
    "invoice": lambda p: _("Invoice %(invoice)s") % {"invoice": p["invoice"]},
    "interest": _interest,
    "fee": _fee,
    "fee_not_owed": lambda p: _("Fee not owed: paid before the letter was sent"),
    "credit_note": lambda p: _("Credit note on invoice %(invoice)s") % {"invoice": p["invoice"]},
    "claim_credited": lambda p: _("Claim credited"),
    "withdrawn": lambda p: _("Cancelled: the creditor withdrew the claim"),
    "write_off": lambda p: _("Written off"),
    "payment_reversed": lambda p: (
        _("Payment %(payment)s reversed (negative correction)") % {"payment": p["payment"]}
    ),
}


def entry_text(entry: LedgerEntry) -> str:
    """What the ledger entry is for, in the active language (beside its kind and component);
    the stored description when its parameters name no known kind."""
    params = entry.params or {}
    render = ENTRIES.get(params.get("what", ""))
    if render is not None:
        try:
            return render(params)
        except (KeyError, ValueError, TypeError, ArithmeticError):
            pass
    return entry.description
