"""Tripletex JSON -> AutoCollect records, and a settlement -> a Tripletex Voucher body.

Pure functions. Input is JSON parsed with `parse_float=Decimal` (see `jsonutil.loads`); a missing or
mistyped field raises `ErpMalformedResponse` naming the field and the object, e.g.
"invoice 42: invoiceDueDate missing".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
from integrations.errors import ErpMalformedResponse
from integrations.json_reader import MISSING as _MISSING
from integrations.json_reader import JsonReader

ERP = "tripletex"
DEFAULT_COUNTRY = "NO"
# Tripletex Country ids seen in public samples; the code wins whenever `country(*)` is expanded.
COUNTRY_IDS = {161: "NO"}


class _Reader(JsonReader):
    erp = ERP

    def int(self, name: str, required: bool = True, default: int = 0) -> int:
        value = self.get(name, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{name} is not an integer ({value!r})")
        return value

    def date(self, name: str) -> dt.date:
        value = self.get(name, True)
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{name} is not a date YYYY-MM-DD ({value!r})")


def _id_of(data: Any) -> str:
    return str(data.get("id", "?")) if isinstance(data, dict) else "?"


def record_id(data: Any) -> str:
    """The id of a record, for naming it even when the rest of it cannot be read."""
    return _id_of(data)


def address_from_json(data: dict | None) -> ErpAddress:
    if not data:
        return ErpAddress(country=DEFAULT_COUNTRY)
    r = _Reader("address", data)
    return ErpAddress(
        line1=r.str("addressLine1"),
        line2=r.str("addressLine2"),
        postal_code=r.str("postalCode"),
        city=r.str("city"),
        country=country_code(r.obj("country")),
    )


def country_code(country: dict | None) -> str:
    """ISO alpha-2 from a Tripletex Country: its code when expanded, else a known id, else NO."""
    if not country:
        return DEFAULT_COUNTRY
    code = country.get("isoAlpha2Code")
    if isinstance(code, str) and len(code) == 2:
        return code.upper()
    return COUNTRY_IDS.get(country.get("id"), DEFAULT_COUNTRY)


def _has_address(data: dict | None) -> bool:
    return bool(data) and any(data.get(k) for k in ("addressLine1", "postalCode", "city"))


def customer_from_json(data: Any) -> ErpCustomer:
    r = _Reader(f"customer {_id_of(data)}", data)
    customer_id = r.int("id")
    number = r.int("customerNumber", required=False, default=0)
    postal, physical = r.obj("postalAddress"), r.obj("physicalAddress")
    category = r.obj("category1") or {}
    return ErpCustomer(
        erp_id=str(customer_id),
        number=str(number) if number else "",
        name=r.str("name", required=True),
        org_number=r.str("organizationNumber").replace(" ", ""),
        is_private=r.bool("isPrivateIndividual"),
        email=r.str("invoiceEmail") or r.str("email"),
        phone=r.str("phoneNumber") or r.str("phoneNumberMobile"),
        address=address_from_json(postal if _has_address(postal) or not physical else physical),
        customer_class=str(category.get("name") or category.get("number") or ""),
        language=_LANGUAGES.get(r.str("language").upper(), ""),
    )


# Customer.language in the Tripletex API (enum NO, EN), as the letters name languages.
_LANGUAGES = {"NO": "nb", "EN": "en"}


def customer_class_from_json(data: Any) -> ErpCustomerClass | None:
    """The customer's class: its category1 (CustomerCategory), None if it has none."""
    category = data.get("category1") if isinstance(data, dict) else None
    if not isinstance(category, dict) or category.get("id") is None:
        return None
    name = str(category.get("name") or category.get("number") or "")
    return ErpCustomerClass(erp_id=str(category["id"]), name=name) if name else None


def company_from_json(data: Any) -> ErpCompany:
    r = _Reader(f"company {_id_of(data)}", data)
    return ErpCompany(
        erp_id=str(r.int("id")),
        name=r.str("name", required=True),
        org_number=r.str("organizationNumber").replace(" ", ""),
        email=r.str("email"),
        phone=r.str("phoneNumber") or r.str("phoneNumberMobile"),
        address=address_from_json(r.obj("address")),
    )


class CustomerMemo:
    """customer_from_json for one listing, which names a customer again with each of its
    invoices: a customer (by id) is mapped anew only when its JSON differs from the one it was
    last mapped from, compared whole, so a change in any field maps it again. (Python's equality:
    1, 1.0 and true would compare equal; Tripletex does not change a field's JSON type.)
    ErpCustomer is frozen, so its invoices share one record. The JSON is kept for the comparison
    (~3.5 kB a customer with the list's fields): past `limit` customers it starts over."""

    def __init__(self, limit: int = 10_000):
        self.limit = limit
        self._mapped: dict[int, tuple[dict, ErpCustomer]] = {}

    def __call__(self, data: Any) -> ErpCustomer:
        key = data.get("id") if isinstance(data, dict) else None
        if type(key) is not int:
            return customer_from_json(data)  # an unreadable id: the mapping says why
        mapped = self._mapped.get(key)
        if mapped is not None and mapped[0] == data:
            return mapped[1]
        customer = customer_from_json(data)
        if len(self._mapped) >= self.limit and key not in self._mapped:
            self._mapped.clear()
        self._mapped[key] = (data, customer)
        return customer


def invoice_from_json(
    data: Any, customers: Callable[[Any], ErpCustomer] = customer_from_json
) -> ErpInvoice:
    """Needs fields `*,customer(*),currency(*)`: the customer's name and currency.code.
    `customers` maps the customer's JSON (a listing passes its CustomerMemo)."""
    r = _Reader(f"invoice {_id_of(data)}", data)
    invoice_id = r.int("id")
    customer_json = r.obj("customer", required=True)
    if "name" not in customer_json:
        r.fail("customer is not expanded (request fields customer(*))")
    try:
        customer = customers(customer_json)
    except ErpMalformedResponse as exc:
        r.fail(exc.args[0])
    currency = r.obj("currency", required=True)
    code = currency.get("code")
    if not isinstance(code, str) or len(code) != 3:
        r.fail("currency.code missing (request fields currency(*))")
    voucher = r.obj("voucher") or {}
    credited = r.int("creditedInvoice", required=False, default=0)
    texts = [t for t in (r.str("comment"), r.str("invoiceComment")) if t.strip()]
    return ErpInvoice(
        erp_id=str(invoice_id),
        number=str(r.int("invoiceNumber")),
        customer=customer,
        invoice_date=r.date("invoiceDate"),
        due_date=r.date("invoiceDueDate"),
        currency=code.upper(),
        amount=r.money("amountCurrency", code.upper()),
        outstanding=r.money("amountCurrencyOutstanding", code.upper()),
        text="\n".join(dict.fromkeys(texts)),
        payment_reference=r.str("kid"),
        is_credit_note=r.bool("isCreditNote"),
        credited_invoice_erp_id=str(credited) if credited else "",
        # The invoice's ledger voucher: what a case reference is written against.
        locator=str(voucher["id"]) if isinstance(voucher.get("id"), int) else "",
    )


# A negative posting of this type on an invoice is a credit note's, not a payment.
_CREDIT_NOTE_TYPES = {"OUTGOING_INVOICE_CUSTOMER_POSTING"}


def payments_from_invoice_json(data: Any) -> list[ErpPayment]:
    """The negative postings of an invoice fetched with `postings(*)` are its payments.

    Each payment carries its posting's voucher id, so the sync can leave out the postings of our
    own settlement vouchers (they credit the same receivable). A credit note's posting on the
    invoice comes back with kind "credit_note".
    """
    invoice = invoice_from_json(data)
    r = _Reader(f"invoice {invoice.erp_id}", data)
    postings = r.get("postings", True)
    if not isinstance(postings, list):
        r.fail("postings is not a list")
    payments = []
    for index, posting in enumerate(postings):
        p = _Reader(f"invoice {invoice.erp_id}: posting {_id_of(posting)}", posting)
        if set(posting) <= {"id", "url"}:
            r.fail(f"postings[{index}] is not expanded (request fields postings(*))")
        amount = _posting_amount(p, invoice.currency)
        if amount >= 0:
            continue
        voucher = p.obj("voucher") or {}
        payments.append(
            ErpPayment(
                erp_id=str(p.int("id")),
                invoice_erp_id=invoice.erp_id,
                paid_on=p.date("date"),
                amount=-amount,
                currency=invoice.currency,
                voucher_id=str(voucher["id"]) if isinstance(voucher.get("id"), int) else "",
                voucher_accounts=_voucher_accounts(voucher),
                kind="credit_note" if p.str("type") in _CREDIT_NOTE_TYPES else "payment",
            )
        )
    return payments


def _voucher_accounts(voucher: dict) -> tuple[int, ...]:
    """The account numbers a voucher books on, when its postings came expanded (else none)."""
    postings = voucher.get("postings")
    numbers = set()
    for posting in postings if isinstance(postings, list) else ():
        account = posting.get("account") if isinstance(posting, dict) else None
        number = account.get("number") if isinstance(account, dict) else None
        if isinstance(number, int) and not isinstance(number, bool):
            numbers.add(number)
    return tuple(sorted(numbers))


def _posting_amount(p: _Reader, currency: str) -> Decimal:
    for name in ("amountCurrency", "amountGrossCurrency", "amount", "amountGross"):
        if p.data.get(name) is not None:
            return p.money(name, currency)
    p.fail("amountCurrency missing")


def voucher_to_json(voucher: SettlementVoucher, account_ids: dict[int, int]) -> dict:
    """A `Voucher` body for POST /ledger/voucher. Rows are numbered from 1 (row 0 is Tripletex's
    own). Only gross amounts count; amountGross and amountGrossCurrency carry the same value, so
    the voucher is assumed to be in the company currency."""
    postings = []
    for row, line in enumerate(voucher.lines, start=1):
        try:
            account_id = account_ids[line.account_number]
        except KeyError:
            raise ValueError(f"no Tripletex account id for account {line.account_number}") from None
        posting: dict[str, Any] = {
            "row": row,
            "date": voucher.date.isoformat(),
            "description": line.description or voucher.description,
            "account": {"id": account_id},
            "amountGross": line.amount,
            "amountGrossCurrency": line.amount,
        }
        if line.customer_erp_id:
            posting["customer"] = {"id": int(line.customer_erp_id)}
        if line.invoice_number:
            posting["invoiceNumber"] = str(line.invoice_number)
        if line.vat_code:
            posting["vatType"] = {"number": str(line.vat_code)}
        postings.append(posting)
    return {
        "date": voucher.date.isoformat(),
        "description": voucher.description,
        "externalVoucherNumber": voucher.external_number,
        "postings": postings,
    }
