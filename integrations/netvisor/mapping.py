"""Netvisor's XML <-> the plain records (integrations.base). Netvisor's words (statuses, payment
sources, collection prohibition) stay here and in the adapter.

An invoice is read from `getsalesinvoice.nv` (details, customer, lines) and its row in
`salesinvoicelist.nv` (status, substatus, OpenSum: getsalesinvoice has no outstanding amount).
Collection costs added in Netvisor (`SalesInvoiceCollectionCost`) are not carried over: they come
off the amount and the outstanding amount we take (the guide: "these do not transfer").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from integrations.base import (
    ErpAddress,
    ErpCompany,
    ErpCustomer,
    ErpInvoice,
    ErpPayment,
    SettlementVoucher,
)
from integrations.errors import ErpMalformedResponse
from integrations.netvisor import xmlcodec
from integrations.netvisor.xmlcodec import XmlError, text

COUNTRY_NAMES = {"FINLAND": "FI", "SUOMI": "FI", "SWEDEN": "SE", "RUOTSI": "SE", "NORWAY": "NO"}
# A separate interest invoice (made with "Process overdue" -> interest invoice) carries only
# interest lines. How Netvisor marks one is UNCONFIRMED; we know it by its lines' product.
INTEREST_PRODUCTS = ("KORKO", "VIIVÄSTYSKORKO", "INTEREST", "RÄNTA")
# The payment's source (salespaymentlist.nv PaymentSource; the values are UNCONFIRMED, see the
# package docstring): ours, a credit loss, a credit invoice applied, or money the customer paid.
OURS = {"collectionagency"}  # "Payment is settlement from collection agency" ticked
CREDIT_LOSS = {"creditloss"}
CREDIT_NOTE = {"creditnote", "creditinvoice"}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class InvoiceFacts:
    """What the guide's transfer rules ask of an invoice, in Netvisor's words."""

    statuses: frozenset[str]  # InvoiceStatus and its substatus, lower case
    in_collection: bool
    interest_invoice: bool
    match_partial: bool  # "Match partial payments by default": a payment plan's instalments
    collection_cost: Decimal = Decimal(0)
    currency: str = "EUR"
    lines: list = field(default_factory=list)


def _wrap(what: str, fn, *args):
    try:
        return fn(*args)
    except XmlError as exc:
        raise ErpMalformedResponse(f"{what}: {exc}", erp="netvisor") from None


def country(value: str) -> str:
    value = (value or "").strip().upper()
    if len(value) == 2:
        return value
    return COUNTRY_NAMES.get(value, "")


def customer_from_invoice(inv: etree._Element) -> ErpCustomer:
    key = text(inv, "InvoicingCustomerNetvisorKey") or text(inv, "InvoicingCustomerCode")
    name = text(inv, "InvoicingCustomerName")
    if not name:
        raise ErpMalformedResponse("sales invoice has no InvoicingCustomerName", erp="netvisor")
    org = text(inv, "InvoicingCustomerOrganisationIdentifier")
    prohibited = text(inv, "InvoicingCustomerInCollectionProhibitation")
    return ErpCustomer(
        erp_id=key or name,
        number=text(inv, "InvoicingCustomerCode") or key or "",
        name=name,
        org_number=org,
        is_private=not org,
        email=text(inv, "ContactPersonEmail"),
        phone=text(inv, "ContactPersonPhoneNumber"),
        address=ErpAddress(
            line1=text(inv, "InvoicingCustomerAddressline"),
            line2=text(inv, "InvoicingCustomerAdditionalAddressLine"),
            postal_code=text(inv, "InvoicingCustomerPostnumber"),
            city=text(inv, "InvoicingCustomerTown"),
            country=country(text(inv, "InvoicingCustomerCountryCode")),
        ),
        collection_prohibited=xmlcodec.boolean(prohibited) if prohibited else False,
    )


def facts_of(inv: etree._Element, row: etree._Element | None) -> InvoiceFacts:
    statuses = set()
    for source in (row, inv):
        if source is None:
            continue
        status = source.find("InvoiceStatus")
        if status is not None:
            for value in (status.text, status.get("substatus"), status.get("status")):
                if value and value.strip():
                    statuses.add(value.strip().lower())
    in_collection = (
        row is not None
        and row.find("InvoiceStatus") is not None
        and ((row.find("InvoiceStatus").get("isincollection") or "0").strip() in ("1", "true"))
    )
    lines = inv.findall("InvoiceLines/InvoiceLine/SalesInvoiceProductLine")
    names = [
        (text(line, "productidentifier") + " " + text(line, "ProductName")).upper()
        for line in lines
    ]
    interest = bool(names) and all(any(p in n for p in INTEREST_PRODUCTS) for n in names)
    cost = text(inv, "SalesInvoiceCollectionCost")
    partial = text(inv, "MatchPartialPaymentsByDefault")
    amount = inv.find("SalesInvoiceAmount")
    currency = (amount.get("iso4217currencycode") if amount is not None else None) or "EUR"
    return InvoiceFacts(
        statuses=frozenset(statuses),
        in_collection=in_collection,
        interest_invoice=interest,
        match_partial=xmlcodec.boolean(partial) if partial else False,
        collection_cost=xmlcodec.decimal(cost, what="collection cost") if cost else Decimal(0),
        currency=currency.strip().upper(),
    )


def invoice_from_xml(
    netvisor_key: str, inv: etree._Element, row: etree._Element | None
) -> tuple[ErpInvoice, InvoiceFacts]:
    """The invoice and the facts the transfer rules need. Raises ErpMalformedResponse."""
    return _wrap(f"sales invoice {netvisor_key}", _invoice, netvisor_key, inv, row)


def _invoice(key, inv, row):
    facts = facts_of(inv, row)
    gross = xmlcodec.decimal(text(inv, "SalesInvoiceAmount"), what="SalesInvoiceAmount")
    amount = (gross - facts.collection_cost).quantize(CENT)
    if row is not None and text(row, "OpenSum"):
        open_sum = xmlcodec.decimal(text(row, "OpenSum"), what="OpenSum")
    else:
        open_sum = gross
    outstanding = max(min(open_sum - facts.collection_cost, amount), Decimal(0)).quantize(CENT)
    number = text(inv, "SalesInvoiceNumber")
    if not number:
        raise XmlError("no SalesInvoiceNumber")
    invoice = ErpInvoice(
        erp_id=str(key),
        number=number,
        customer=customer_from_invoice(inv),
        invoice_date=xmlcodec.date(text(inv, "SalesInvoiceDate"), what="SalesInvoiceDate"),
        due_date=xmlcodec.date(text(inv, "SalesInvoiceDueDate"), what="SalesInvoiceDueDate"),
        currency=facts.currency,
        amount=amount,
        outstanding=outstanding,
        text=text(inv, "SalesInvoiceFreeTextBeforeLines"),
        payment_reference=text(inv, "SalesInvoiceReferencenumber"),
        is_credit_note=gross < 0,
        collection_prohibited=customer_from_invoice(inv).collection_prohibited,
    )
    return invoice, facts


def payments_from_xml(
    rows: list[etree._Element], invoice: ErpInvoice, facts: InvoiceFacts
) -> list[ErpPayment]:
    """The payments on the invoice that reach the case: the customer's own (manual without the
    collection-agency tick, or a matched reference payment) and credit invoices applied. Ours
    and credit losses are left out; a failed bank payment never arrived. A negative payment is
    a correction: a "reversal" of the latest earlier payment of the same amount (the layer
    above books the payment, if it has not, and undoes it: both idempotent)."""
    return _wrap(f"payments of invoice {invoice.erp_id}", _payments, rows, invoice, facts)


def _payments(rows, invoice, facts):
    found: list[ErpPayment] = []
    undone: set[str] = set()
    for row in sorted(rows, key=lambda r: (xmlcodec.date(text(r, "Date")), text(r, "NetvisorKey"))):
        source = text(row, "PaymentSource").lower()
        if source in OURS or source in CREDIT_LOSS or text(row, "BankStatus") == "FAILED":
            continue
        amount = xmlcodec.decimal(text(row, "Sum"), what="Sum").quantize(CENT)
        key = text(row, "NetvisorKey")
        paid_on = xmlcodec.date(text(row, "Date"))
        if amount < 0:
            target = next(
                (
                    p
                    for p in reversed(found)
                    if p.amount == -amount and p.kind != "reversal" and p.erp_id not in undone
                ),
                None,
            )
            if target is None:
                raise XmlError(f"negative payment {key} corrects no earlier payment of {-amount}")
            undone.add(target.erp_id)
            found.append(
                ErpPayment(
                    key,
                    invoice.erp_id,
                    paid_on,
                    -amount,
                    invoice.currency,
                    kind="reversal",
                    reverses=target.erp_id,
                )
            )
            continue
        if source in CREDIT_NOTE:
            kind = "credit_note"
        elif facts.match_partial and amount < invoice.amount:
            kind = "instalment"
        else:
            kind = "payment"
        found.append(ErpPayment(key, invoice.erp_id, paid_on, amount, invoice.currency, kind=kind))
    return found


def company_from_xml(company: etree._Element) -> ErpCompany:
    street = company.find("StreetAddress")
    return ErpCompany(
        erp_id=text(company, "FinnishOrganizationIdentifier"),
        name=text(company, "Name"),
        org_number=text(company, "FinnishOrganizationIdentifier"),
        email=text(company, "Email"),
        phone=text(company, "Phone"),
        address=ErpAddress(
            line1=text(street, "Street"),
            postal_code=text(street, "PostalCode"),
            city=text(street, "PostalOffice"),
            country="FI",
        ),
    )


def client_company_from_xml(company: etree._Element) -> ErpCompany:
    org = text(company, "FinnishOrganizationIdentifier")
    return ErpCompany(erp_id=org, name=text(company, "Name"), org_number=org)


def voucher_description(voucher: SettlementVoucher) -> str:
    return f"{voucher.description} [{voucher.external_number}]"[:255]


def voucher_to_xml(voucher: SettlementVoucher, voucher_class: str) -> etree._Element:
    """accounting.nv: `root/voucher`, gross lines, no VAT (a settlement moves claims)."""
    e = xmlcodec.element
    lines = [
        e(
            "voucherline",
            children=[
                e("linesum", xmlcodec.amount_text(line.amount), type="gross"),
                e("description", (line.description or voucher.description)[:255]),
                e("accountnumber", line.account_number),
                e("vatpercent", 0, vatcode="NONE"),
            ],
        )
        for line in voucher.lines
    ]
    return e(
        "root",
        children=[
            e(
                "voucher",
                children=[
                    e("calculationmode", "gross"),
                    e("voucherdate", voucher.date.isoformat(), format="ansi"),
                    e("description", voucher_description(voucher)),
                    e("voucherclass", voucher_class),
                    *lines,
                ],
            )
        ],
    )


def voucher_key_for(vouchers: list[etree._Element], external_number: str) -> str | None:
    tag = f"[{external_number}]"
    for v in vouchers:
        if v.get("Status", "valid") != "invalidated" and tag in text(v, "VoucherDescription"):
            return text(v, "NetvisorKey")
    return None


def transfer_fields(t: etree._Element) -> tuple[str, str, str, dt.date | None]:
    """(transfer key, kind, invoice NetvisorKey, transfer date) of one transfer material row."""
    day = text(t, "TransferDate")
    return (
        text(t, "TransferKey"),
        text(t, "TransferType").lower(),
        text(t, "SalesInvoiceNetvisorKey"),
        xmlcodec.date(day) if day else None,
    )


def payload(el: etree._Element | None) -> str:
    return etree.tostring(el, encoding="unicode") if el is not None else ""
