"""Assignments pushed by accounting programs (Visma's desktop program, seed 002): the debtor and
its invoices stored, a case opened on them and started at the assignment type's stage
(cases.starting), all in one transaction. The terms of the service are accepted with the
creditor's first assignment and recorded in its audit trail."""

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db import IntegrityError, transaction

from cases.models import Debtor, Invoice
from cases.services import case_open
from cases.starting import case_start_at, start_stage
from collection.models import Assignment
from creditors import permissions
from creditors.models import Creditor
from creditors.services import audit_add

TERMS_VERSION = "2026-1"


class AssignmentRefused(ValueError):
    """The assignment cannot be taken as sent (400); `code` says why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class AssignmentConflict(ValueError):
    """The idempotency key was used with another request, or an invoice is in a case (409);
    `code` says which."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def request_hash(data: dict) -> str:
    """The request as read, in one canonical form: the same assignment sent twice hashes alike."""
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str, separators=(",", ":")).encode()
    ).hexdigest()


def terms_accepted(*, creditor: Creditor) -> bool:
    return Assignment.objects.for_creditor(creditor).filter(terms_accepted=True).exists()


@transaction.atomic
def assignment_create(
    *,
    creditor: Creditor,
    actor,
    idempotency_key: str,
    kind: str,
    debtor: dict,
    invoices: list[dict],
    currency: str,
    accept_terms: bool = False,
    today: dt.date,
) -> tuple[Assignment, bool]:
    """The assignment and its case; (it, False) when this key was used before with the same
    request, AssignmentConflict when with another."""
    permissions.require(actor, creditor, permissions.Action.ASSIGN)
    digest = request_hash(
        {"kind": kind, "debtor": debtor, "invoices": invoices, "currency": currency}
    )
    earlier = _by_key(creditor, idempotency_key)
    if earlier is not None:
        return _same(earlier, digest), False
    first = not terms_accepted(creditor=creditor)
    if first and not accept_terms:
        raise AssignmentRefused(
            "terms_not_accepted",
            f"Accept the terms of the service (version {TERMS_VERSION}) with the first "
            "assignment: send accept_terms: true.",
        )
    stored_debtor = _debtor(creditor, debtor)
    stored = [_invoice(creditor, stored_debtor, currency, i) for i in invoices]
    case = case_open(creditor=creditor, debtor=stored_debtor, invoices=stored, today=today)
    try:
        with transaction.atomic():  # a second request with this key got here first
            assignment = Assignment.objects.create(
                creditor=creditor,
                idempotency_key=idempotency_key,
                request_hash=digest,
                kind=kind,
                case=case,
                created_by=actor,
                terms_accepted=first,
            )
    except IntegrityError:
        earlier = _by_key(creditor, idempotency_key)
        if earlier is None:
            raise
        transaction.set_rollback(True)  # the case opened here goes: the earlier one stands
        return _same(earlier, digest), False
    case_start_at(case=case, stage=start_stage(kind, creditor.country), today=today, actor=actor)
    if first:
        audit_add(creditor=creditor, actor=actor, action="terms_accepted", new=TERMS_VERSION)
    return assignment, True


def _by_key(creditor, key) -> Assignment | None:
    return (
        Assignment.objects.for_creditor(creditor)
        .select_related("case")
        .filter(idempotency_key=key)
        .first()
    )


def _same(earlier: Assignment, digest: str) -> Assignment:
    if earlier.request_hash != digest:
        raise AssignmentConflict(
            "idempotency_conflict",
            "This Idempotency-Key was used with another request; use a new key for a new "
            "assignment.",
        )
    return earlier


DEBTOR_FIELDS = (
    "name", "kind", "identity_number", "address_line1", "address_line2", "postal_code", "city",
    "country", "email", "phone",
)  # fmt: skip


def _debtor(creditor, data: dict) -> Debtor:
    """The program's customer, by its customer number: created, or brought up to date."""
    values = {f: data.get(f, "") for f in DEBTOR_FIELDS}
    number = data["customer_number"]
    debtor, _ = Debtor.objects.update_or_create(
        creditor=creditor, erp_id=number, defaults={**values, "number": number}
    )
    return debtor


def _invoice(creditor, debtor, currency: str, data: dict) -> Invoice:
    erp_id = f"assignment:{data['number']}"
    existing = Invoice.objects.for_creditor(creditor).filter(erp_id=erp_id).first()
    if existing is not None and existing.case_id is not None:
        raise AssignmentConflict(
            "invoice_in_case", f"invoice {data['number']} is in a case already"
        )
    amount = Decimal(data["amount"]).quantize(Decimal("0.01"))
    values = {
        "debtor": debtor,
        "number": data["number"],
        "invoice_date": data["invoice_date"],
        "due_date": data["due_date"],
        "currency": currency,
        "original_amount": Decimal(data.get("original_amount") or amount).quantize(Decimal("0.01")),
        "outstanding_amount": amount,
        "text": data.get("text", ""),
    }
    if existing is None:
        return Invoice.objects.create(creditor=creditor, erp_id=erp_id, **values)
    for field, value in values.items():
        setattr(existing, field, value)
    existing.save()
    return existing
