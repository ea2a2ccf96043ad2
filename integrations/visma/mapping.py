"""Visma.net DTOs -> AutoCollect records, and a settlement -> a journal transaction body.

Pure functions over JSON parsed with parse_float=Decimal (client.loads). A missing or mistyped
field raises ErpMalformedResponse naming the field and the record ("invoice 100245:
documentDueDate missing").
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from integrations.base import (
    ErpAddress,
    ErpCompany,
    ErpCustomer,
    ErpCustomerClass,
    ErpInvoice,
    ErpPayment,
    SettlementVoucher,
)
from integrations.json_reader import MISSING as _MISSING
from integrations.json_reader import JsonReader
from integrations.visma.client import wrap

ERP = "visma"
DEFAULT_COUNTRY = "SE"
PAYMENT_TYPES = {"Payment", "Prepayment"}
CREDIT_TYPES = {"CreditNote", "CreditMemo"}
_DIGITS = re.compile(r"\D")


class _Reader(JsonReader):
    erp = ERP

    def date(self, name: str, required: bool = True) -> dt.date | None:
        """Visma.net sends date-times ("2026-03-31T00:00:00"); the date part counts."""
        value = self.get(name, required)
        if value is _MISSING:
            return None
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except (TypeError, ValueError):
            self.fail(f"{name} is not a date ({value!r})")


def record_id(data: Any) -> str:
    if isinstance(data, dict):
        for key in ("referenceNumber", "number", "refNbr"):
            if isinstance(data.get(key), str) and data[key]:
                return data[key]
    return "?"


def address_from_json(data: dict | None) -> ErpAddress:
    if not data:
        return ErpAddress(country=DEFAULT_COUNTRY)
    r = _Reader("address", data)
    country = r.obj("country") or {}
    code = country.get("id") if isinstance(country.get("id"), str) else ""
    lines = [r.str("addressLine1"), r.str("addressLine2"), r.str("addressLine3")]
    return ErpAddress(
        line1=lines[0],
        line2=", ".join(x for x in lines[1:] if x),
        postal_code=r.str("postalCode"),
        city=r.str("city"),
        country=(code or r.str("countryId") or DEFAULT_COUNTRY).upper(),
    )


def is_personal_number(corporate_id: str) -> bool:
    """A Swedish personal identity number (YYMMDD-NNNN, the month 01-12: third digit 0 or 1);
    an organisation number's third digit is 2 or more."""
    digits = _DIGITS.sub("", corporate_id or "")
    if len(digits) == 12:  # with the century
        digits = digits[2:]
    return len(digits) == 10 and digits[2] in "01"


def customer_from_json(data: Any, consumer_classes=()) -> ErpCustomer:
    r = _Reader(f"customer {record_id(data)}", data)
    number = r.str("number", required=True)
    klass = r.obj("customerClass") or {}
    class_id = klass.get("id") if isinstance(klass.get("id"), str) else ""
    contact = r.obj("mainContact") or {}
    invoice_contact = r.obj("invoiceContact") or {}
    corporate = r.str("corporateId")
    address = r.obj("invoiceAddress") or r.obj("mainAddress")
    if address is not None and not any(address.get(k) for k in ("addressLine1", "postalCode")):
        address = r.obj("mainAddress")
    return ErpCustomer(
        erp_id=number,
        number=number,
        name=r.str("name", required=True),
        org_number=corporate,
        is_private=is_personal_number(corporate) or class_id in consumer_classes,
        email=str(invoice_contact.get("email") or contact.get("email") or ""),
        phone=str(contact.get("phone1") or invoice_contact.get("phone1") or ""),
        address=address_from_json(address),
        customer_class=class_id,
        collection_prohibited=r.str("status") in ("Inactive", "OnHold", "CreditHold"),
    )


def customer_class_from_json(data: Any) -> ErpCustomerClass:
    r = _Reader("customer class", data)
    class_id = r.str("id", required=True)
    return ErpCustomerClass(erp_id=class_id, name=r.str("description") or class_id)


def company_from_json(data: Any, tenant_id: str) -> ErpCompany:
    r = _Reader("company settings", data)
    return ErpCompany(
        erp_id=tenant_id,
        name=r.str("name", required=True),
        org_number=r.str("corporateId") or r.str("organizationNumber"),
        email=r.str("email"),
        phone=r.str("phone"),
        address=address_from_json(r.obj("address")),
    )


def invoice_from_json(data: Any, customer: ErpCustomer) -> ErpInvoice:
    """An invoice DTO, with its customer read apart (the invoice holds only number and name)."""
    r = _Reader(f"invoice {record_id(data)}", data)
    number = r.str("referenceNumber", required=True)
    currency = r.str("currencyId", required=True).upper()
    if len(currency) != 3:
        r.fail(f"currencyId {currency!r} is not a currency code")
    texts = [t for t in (r.str("invoiceText"),) if t.strip()]
    kind = r.str("documentType") or "Invoice"
    return ErpInvoice(
        erp_id=number,
        number=number,
        customer=customer,
        invoice_date=r.date("documentDate"),
        due_date=r.date("documentDueDate"),
        currency=currency,
        amount=r.money("amount", currency),
        outstanding=r.money("balance", currency),
        text="\n".join(texts),
        payment_reference=r.str("paymentReference"),
        is_credit_note=kind in CREDIT_TYPES,
        collection_prohibited=r.bool("excludeDebtCollection"),
    )


def invoice_customer_key(data: Any) -> str:
    r = _Reader(f"invoice {record_id(data)}", data)
    customer = r.obj("customer", required=True)
    number = customer.get("number")
    if not isinstance(number, str) or not number:
        r.fail("customer.number missing")
    return number


def payments_from_invoice_json(data: Any, invoice: ErpInvoice) -> list[ErpPayment]:
    """The invoice's applications (read with expandApplications=true): released payments and
    credit notes applied to it."""
    r = _Reader(f"invoice {invoice.erp_id}", data)
    applications = r.get("applications", False)
    if applications is _MISSING:
        return []
    if not isinstance(applications, list):
        r.fail("applications is not a list")
    found = []
    for app in applications:
        a = _Reader(f"invoice {invoice.erp_id}: application {record_id(app)}", app)
        kind = a.str("docType", required=True)
        if kind not in PAYMENT_TYPES | CREDIT_TYPES:
            continue
        if a.bool("voided") or a.bool("hold") or ("released" in app and not a.bool("released")):
            continue
        amount = a.money("amountPaid", invoice.currency)
        if amount <= 0:
            continue
        ref = a.str("refNbr", required=True)
        found.append(
            ErpPayment(
                erp_id=f"{kind}:{ref}:{invoice.erp_id}",
                invoice_erp_id=invoice.erp_id,
                paid_on=a.date("applicationDate"),
                amount=amount,
                currency=invoice.currency,
                kind="credit_note" if kind in CREDIT_TYPES else "payment",
            )
        )
    return found


def case_fields(data: Any) -> dict:
    """The debtCollection block of an invoice DTO: {caseNumber, caseType, caseStatus, caseUrl}."""
    block = data.get("debtCollection") if isinstance(data, dict) else None
    return block if isinstance(block, dict) else {}


def case_update(case_number: str, case_type: str, status: str, url: str) -> dict:
    return wrap(
        debtCollectionCaseNbr=case_number,
        debtCollectionCaseType=case_type,
        debtCollectionCaseStatus=status,
        debtCollectionCaseUrl=url or None,
    )


def voucher_description(voucher: SettlementVoucher) -> str:
    return f"AutoCollect {voucher.external_number}: {voucher.description}"[:255]


def voucher_to_json(voucher: SettlementVoucher) -> dict:
    """JournalTransactionUpdateDto (SystemaAS docs): periods as MMYYYY/YYYYMM, the lines'
    debit and credit in the transaction's currency."""
    lines = []
    for number, line in enumerate(voucher.lines, start=1):
        amount = line.amount
        vat = getattr(line, "vat_code", "")
        lines.append(
            {
                **({"vatCodeId": {"value": vat}} if vat else {}),
                "operation": "Insert",
                "lineNumber": {"value": number},
                "accountNumber": {"value": str(line.account_number)},
                "referenceNumber": {"value": voucher.external_number},
                "transactionDescription": {"value": (line.description or "")[:60]},
                "debitAmountInCurrency": {"value": amount if amount > 0 else Decimal(0)},
                "creditAmountInCurrency": {"value": -amount if amount < 0 else Decimal(0)},
            }
        )
    day = voucher.date
    return {
        "hold": {"value": False},
        "transactionDate": {"value": f"{day.isoformat()}T00:00:00"},
        "postPeriod": {"value": f"{day.month:02d}{day.year}"},
        "financialPeriod": {"value": f"{day.year}{day.month:02d}"},
        "currencyId": {"value": voucher.currency},
        "description": {"value": voucher_description(voucher)},
        "journalTransactionLines": lines,
    }


def voucher_matches(data: Any, external_number: str) -> bool:
    if not isinstance(data, dict):
        return False
    description = data.get("description")
    if isinstance(description, str) and description.startswith(f"AutoCollect {external_number}:"):
        return True
    lines = data.get("journalTransactionLines")
    return isinstance(lines, list) and any(
        isinstance(x, dict) and x.get("referenceNumber") == external_number for x in lines
    )
