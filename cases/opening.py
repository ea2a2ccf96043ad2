"""Many cases opened at once, each exactly as `cases.services.case_open` opens one: the case
with its number and payment reference, its invoice linked, the capital ledger entry and the
"opened" event. For the import, which opens thousands a night: a fixed number of statements
per call, whatever the number of cases (on PostgreSQL by COPY, elsewhere bulk_create)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from cases.bulk import copy_rows, next_ids
from cases.models import Case, CaseEvent, Invoice, LedgerEntry
from cases.services import CASE_NUMBER_OFFSET
from nordic.references import reference_for_case


class Opening(NamedTuple):
    """One case to open on one stored invoice that has none."""

    debtor_id: int
    invoice_id: int
    invoice_number: str
    currency: str
    amount: Decimal  # the invoice's outstanding amount: the capital claimed
    backlog: bool = False  # overdue at activation: its reminder carries no fee


CASE_COLUMNS = [
    "id",
    "creditor_id",
    "debtor_id",
    "country",
    "currency",
    "number",
    "payment_reference",
    "opened_on",
    "next_action_on",
    "backlog",
    "stage",
    "status",
    "outcome",
    "pause_reason",
    "support_flag",
]
LEDGER_COLUMNS = [
    "creditor_id",
    "case_id",
    "kind",
    "component",
    "amount",
    "booked_on",
    "invoice_id",
    "description",
    "key",
]
EVENT_COLUMNS = [
    "creditor_id", "case_id", "at", "kind", "from_stage", "to_stage", "message", "data"
]  # fmt: skip
LINK_INVOICES = """UPDATE cases_invoice AS i SET case_id = v.case_id
    FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, case_id)
    WHERE i.id = v.id AND i.case_id IS NULL"""


@transaction.atomic
def cases_open_bulk(*, creditor, openings: list[Opening], today: dt.date) -> list[int]:
    """Open one case per opening, in order; returns the cases' ids. The first letter of each
    goes out on the next advance. Raises ValueError if an invoice is in a case already."""
    if not openings:
        return []
    ids = _case_ids(creditor, openings, today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LINK_INVOICES, [[o.invoice_id for o in openings], ids])
            linked = cursor.rowcount
    else:
        linked = Invoice.objects.filter(pk__in=[o.invoice_id for o in openings], case=None).count()
        Invoice.objects.bulk_update(
            [Invoice(pk=o.invoice_id, case_id=i) for o, i in zip(openings, ids, strict=True)],
            ["case"],
        )
    if linked != len(openings):
        raise ValueError("an invoice is in a case already")
    c = creditor.pk
    copy_rows(
        LedgerEntry,
        LEDGER_COLUMNS,
        [
            (c, i, LedgerEntry.Kind.CHARGE.value, LedgerEntry.Component.CAPITAL.value, o.amount,
             today, o.invoice_id, f"Invoice {o.invoice_number}", f"capital:invoice:{o.invoice_id}")
            for o, i in zip(openings, ids, strict=True)
        ],
    )  # fmt: skip
    now = timezone.now()
    copy_rows(
        CaseEvent,
        EVENT_COLUMNS,
        [
            (c, i, now, "opened", "", "", f"Case opened on invoice(s) {o.invoice_number}",
             {"invoices": [o.invoice_number]})
            for o, i in zip(openings, ids, strict=True)
        ],
    )  # fmt: skip
    return ids


def _case_ids(creditor, openings: list[Opening], today: dt.date) -> list[int]:
    """Write the cases; their numbers come from their ids, as case_open numbers them."""
    country, kid = creditor.country, creditor.kid_algorithm

    def row(case_id: int, o: Opening) -> tuple:
        number = str(CASE_NUMBER_OFFSET + case_id)
        reference = reference_for_case(country, number, kid_algorithm=kid)
        return (case_id, creditor.pk, o.debtor_id, country, o.currency, number, reference,
                today, today, o.backlog, Case.Stage.NEW.value, Case.Status.OPEN.value, "", "",
                "")  # fmt: skip

    if connection.vendor == "postgresql":
        ids = next_ids(Case, len(openings))
        copy_rows(Case, CASE_COLUMNS, [row(i, o) for i, o in zip(ids, openings, strict=True)])
        return ids
    # Elsewhere the ids come back from the insert; number and reference follow in one update.
    cases = Case.objects.bulk_create(
        Case(
            creditor=creditor,
            debtor_id=o.debtor_id,
            country=country,
            currency=o.currency,
            opened_on=today,
            next_action_on=today,
            backlog=o.backlog,
        )
        for o in openings
    )
    for case in cases:
        case.number, case.payment_reference = row(case.pk, openings[0])[5:7]
    Case.objects.bulk_update(cases, ["number", "payment_reference"])
    return [case.pk for case in cases]
