"""Many cases opened at once, each exactly as `cases.services.case_open` opens one: the case
with its number and payment reference, its invoice (stored here, in its case), the capital
ledger entry and the "opened" event (the case written owing that entry, as
`cases.ledger.entries_post` would leave it). For the import, which opens thousands a night: a fixed
number of statements per call, whatever the number of cases (on PostgreSQL by COPY and one
INSERT ... ON CONFLICT, elsewhere bulk_create)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from cases.bulk import copy_rows, next_ids, upsert
from cases.models import Case, CaseEvent, Invoice, LedgerEntry
from cases.services import CASE_NUMBER_OFFSET
from nordic.references import reference_for_case


class NewInvoice(NamedTuple):
    """An invoice to store and open a case on (values as Invoice's fields), unless it is stored
    in a case already."""

    debtor_id: int
    erp_id: str
    number: str
    invoice_date: dt.date
    due_date: dt.date
    currency: str
    original_amount: Decimal
    outstanding_amount: Decimal  # the capital claimed
    text: str
    erp_payment_reference: str
    erp_voucher_id: str  # the ERP's locator of the invoice
    synced_at: dt.datetime
    backlog: bool = False  # overdue at activation: its reminder carries no fee


INVOICE_COLUMNS = ["creditor_id", *NewInvoice._fields[:-1], "case_id"]
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
    "outstanding",
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
    "params",
    "key",
]
EVENT_COLUMNS = [
    "creditor_id", "case_id", "at", "kind", "from_stage", "to_stage", "message", "data"
]  # fmt: skip


@transaction.atomic
def cases_open_bulk(*, creditor, invoices: list[NewInvoice], today: dt.date) -> list[int]:
    """Store the invoices, each in a new case, in order; returns the cases' ids. The first
    letter of each goes out on the next advance. The invoices are written with their case
    (an upsert on the creditor's erp id), not linked afterwards. Raises ValueError if one is in
    a case already (nothing is written then)."""
    if not invoices:
        return []
    owed = [_owed(i) for i in invoices]
    ids = _case_ids(creditor, invoices, owed, today)
    c = creditor.pk
    rows = [(c, *i[:-1], case_id) for i, case_id in zip(invoices, ids, strict=True)]
    stored = upsert(Invoice, INVOICE_COLUMNS, rows, unless_set="case_id")
    if len(stored) != len(invoices):
        raise ValueError("an invoice is in a case already")
    pks = [stored[i.erp_id] for i in invoices]
    charge, capital = LedgerEntry.Kind.CHARGE.value, LedgerEntry.Component.CAPITAL.value
    copy_rows(
        LedgerEntry,
        LEDGER_COLUMNS,
        [
            (c, case_id, charge, capital, amount, today, pk, f"Invoice {i.number}",
             {"what": "invoice", "invoice": i.number}, f"capital:invoice:{pk}")
            for i, case_id, pk, amount in zip(invoices, ids, pks, owed, strict=True)
        ],
    )  # fmt: skip
    now = timezone.now()
    copy_rows(
        CaseEvent,
        EVENT_COLUMNS,
        [
            (c, case_id, now, "opened", "", "", f"Case opened on invoice(s) {i.number}",
             {"invoices": [i.number]})
            for i, case_id in zip(invoices, ids, strict=True)
        ],
    )  # fmt: skip
    return ids


def _case_ids(creditor, openings: list[NewInvoice], owed: list, today: dt.date) -> list[int]:
    """Write the cases; their numbers come from their ids, as case_open numbers them. Each is
    written owing its capital entry (`owed`: cases.ledger.entries_post's figure, without an
    UPDATE)."""
    country, kid = creditor.country, creditor.kid_algorithm
    new, open_ = Case.Stage.NEW.value, Case.Status.OPEN.value

    def row(case_id: int, o: NewInvoice, amount) -> tuple:
        number = str(CASE_NUMBER_OFFSET + case_id)
        reference = reference_for_case(country, number, kid_algorithm=kid)
        return (case_id, creditor.pk, o.debtor_id, country, o.currency, number, reference,
                today, today, o.backlog, new, open_, "", "", "", amount)  # fmt: skip

    if connection.vendor == "postgresql":
        ids = next_ids(Case, len(openings))
        rows = [row(*args) for args in zip(ids, openings, owed, strict=True)]
        copy_rows(Case, CASE_COLUMNS, rows)
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
            outstanding=amount,
        )
        for o, amount in zip(openings, owed, strict=True)
    )
    for case in cases:
        case.number, case.payment_reference = row(case.pk, openings[0], None)[5:7]
    Case.objects.bulk_update(cases, ["number", "payment_reference"])
    return [case.pk for case in cases]


def _owed(o: NewInvoice) -> Decimal:
    """What the new case owes: its one capital entry (written in cases_open_bulk)."""
    return LedgerEntry._meta.get_field("amount").to_python(o.outstanding_amount)
