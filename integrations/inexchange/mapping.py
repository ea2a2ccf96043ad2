"""Inexchange answers -> AutoCollect records: a document list row and its BIS 3 invoice into an
ErpInvoice, the company's details into an ErpCompany. Pure functions."""

from __future__ import annotations

from decimal import Decimal

from integrations.base import ErpAddress, ErpCompany, ErpCustomer, ErpInvoice
from integrations.errors import ErpMalformedResponse
from integrations.inexchange.ubl import BisInvoice
from nordic.money import AmountError
from nordic.money import money as bounded_money

ERP = "inexchange"
# Documents that reached the buyer; the others (PendingInPlatform, Pending, Error, Stopped) were
# never delivered and are not collected (the full status enum is UNCONFIRMED, erp-apis.md 4.3).
DELIVERED = frozenset({"Sent", "Delivered"})


def document_id(row) -> str:
    found = row.get("id") if isinstance(row, dict) else None
    return str(found) if isinstance(found, (str, int)) and not isinstance(found, bool) else "?"


def document_status(row: dict) -> str:
    current = row.get("currentStatus")
    return str(current.get("status") or "") if isinstance(current, dict) else ""


def is_invoice(row: dict) -> bool:
    return str(row.get("documentType") or "").lower() == "invoice"


def invoice_from_document(row: dict, bis: BisInvoice) -> ErpInvoice:
    """The document (its list row) and its parsed BIS 3 content. Inexchange knows no payments:
    outstanding is the payable amount; payments and credit notes come to the case through our
    partner API (collection.inexchange_api), not through the sync."""
    erp_id = document_id(row)
    what = f"document {erp_id} (invoice {bis.number})"
    if bis.due_date is None:
        raise ErpMalformedResponse(f"{what}: no due date (DueDate)", erp=ERP)
    try:
        amount = bounded_money(bis.payable_amount, bis.currency)
    except (AmountError, ValueError) as exc:
        raise ErpMalformedResponse(f"{what}: PayableAmount {exc}", erp=ERP) from None
    if amount <= Decimal(0):
        raise ErpMalformedResponse(f"{what}: PayableAmount {amount} is not a claim", erp=ERP)
    c = bis.customer
    customer = ErpCustomer(
        erp_id=c.key,
        number=c.number or c.endpoint_id,
        name=c.name,
        org_number=c.org_number,
        is_private=not c.is_business,
        email=c.email,
        phone=c.phone,
        address=c.address,
    )
    return ErpInvoice(
        erp_id=erp_id,
        number=bis.number,
        customer=customer,
        invoice_date=bis.issue_date,
        due_date=bis.due_date,
        currency=bis.currency,
        amount=amount,
        outstanding=amount,
        text=bis.note,
        payment_reference=bis.payment_reference,
        is_credit_note=bis.is_credit_note,
        locator=str(row.get("erpDocumentId") or ""),
    )


def company_from_json(data: dict) -> ErpCompany:
    """GET companies/details (field names as companies/register takes them, camelCased as the
    API answers; UNCONFIRMED)."""

    def field(name: str) -> str:
        for key in (name, name[0].upper() + name[1:]):
            value = data.get(key)
            if value not in (None, ""):
                return str(value)
        return ""

    name, org = field("name"), field("orgNo")
    if not name or not org:
        raise ErpMalformedResponse("companies/details: name or orgNo missing", erp=ERP)
    return ErpCompany(
        erp_id=field("erpId"),
        name=name,
        org_number=org,
        email=field("email"),
        phone=field("phone"),
        address=ErpAddress(
            line1=field("streetName"),
            postal_code=field("postalZone"),
            city=field("city"),
            country=field("countryCode"),
        ),
    )
