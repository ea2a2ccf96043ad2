"""The data behind the Visma.net emulator: Visma Connect clients, users and tokens (its methods in
connect.py); per company tenant its settings, customer classes, customers, customer ledger
documents (invoices, credit notes, payments) and journal transactions. Records are plain dicts
with money as Decimal, kept in insertion order (the order a list answers in). Not thread-safe: the
emulator holds its lock.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import time
from dataclasses import dataclass, field
from decimal import Decimal

from integrations.visma.emulator.connect import VismaConnect
from integrations.visma.emulator.records import Refused, money, now_text, value

CHART = {  # BAS accounts the demo companies have (Swedish chart), plus the platform's defaults
    1500: "Kundfordringar",
    1510: "Kundfordringar",
    1550: "Kundfordringar inkasso",
    1930: "Företagskonto",
    2611: "Utgående moms 25 %",
    2711: "Momsredovisningskonto, påminnelseavgifter",
    1940: "Övriga bankkonton",
    3000: "Försäljning",
    3590: "Övriga fakturerade kostnader",
    3900: "Övriga rörelseintäkter",
    7830: "Kundförluster",
    8050: "Ränteintäkter",
    8310: "Ränteintäkter från omsättningstillgångar",
}


@dataclass
class Company:
    tenant_id: str
    name: str
    corporate_id: str
    currency: str = "SEK"
    address: dict = field(default_factory=dict)
    email: str = ""
    phone: str = ""
    customer_tenant_id: str = ""  # the Visma customer (the organisation) that owns the company
    classes: dict = field(default_factory=dict)  # id -> description
    customers: dict = field(default_factory=dict)  # number -> record
    invoices: dict = field(default_factory=dict)  # referenceNumber -> record (credit notes too)
    payments: dict = field(default_factory=dict)  # refNbr -> record
    journal: dict = field(default_factory=dict)  # batchNumber -> record
    numbers: dict = field(default_factory=dict)  # number series -> counter


class State(VismaConnect):
    def __init__(self, *, expires_in: int = 3600):
        self.expires_in = expires_in
        self.clients: dict[str, dict] = {}  # client id -> {"secret", "tenants": set}
        self.companies: dict[str, Company] = {}  # company tenant id -> Company
        self.customer_tenants: set[str] = set()  # tenant ids that authenticate, then 401
        self.tokens: dict[str, dict] = {}  # access token -> {"client", "tenant", "expires"}
        self.users: dict[str, dict] = {}  # Visma Connect users (registration)
        self.codes: dict[str, dict] = {}  # authorization codes
        self.clock = time.monotonic
        self.version = itertools.count(1)
        self.generation = 0  # moves with every change: cached list views are stale then

    # --- companies and their data -------------------------------------------------------------

    def add_company(self, tenant_id: str, name: str, corporate_id: str, **kw) -> Company:
        company = Company(tenant_id.lower(), name, corporate_id, **kw)
        self.companies[company.tenant_id] = company
        if company.customer_tenant_id:
            self.customer_tenants.add(company.customer_tenant_id.lower())
        return company

    def next_number(self, company: Company, series: str, start: int) -> str:
        counter = company.numbers.setdefault(series, itertools.count(start))
        return str(next(counter))

    def stamp(self, record: dict) -> None:
        """A new version: timeStamp (the ETag) and lastModifiedDateTime move."""
        version = next(self.version)
        self.generation = version
        record["_version"] = version
        record["timeStamp"] = base64.b64encode(version.to_bytes(8, "big")).decode("ascii")
        record["lastModifiedDateTime"] = now_text()

    def add_customer(self, company: Company, name: str, corporate_id: str, **kw) -> dict:
        number = kw.pop("number", None) or self.next_number(company, "customer", 10001)
        record = {
            "internalId": len(company.customers) + 1,
            "number": number,
            "name": name,
            "status": kw.pop("status", "Active"),
            "corporateId": corporate_id,
            "customerClass": kw.pop("customer_class", None),
            "email": kw.pop("email", ""),
            "phone": kw.pop("phone", ""),
            "address": kw.pop("address", {}),
            "currencyId": kw.pop("currency", company.currency),
            "createdDateTime": now_text(),
        }
        self.stamp(record)
        company.customers[number] = record
        return record

    def add_invoice(
        self,
        company: Company,
        customer: str,
        amount,
        *,
        date: dt.date,
        due: dt.date,
        currency: str | None = None,
        text: str = "",
        exclude: bool = False,
        kind: str = "Invoice",
        number: str | None = None,
    ) -> dict:
        if customer not in company.customers:
            raise KeyError(f"no customer {customer}")
        series = "invoice" if kind == "Invoice" else "creditnote"
        number = number or self.next_number(company, series, 100001 if kind == "Invoice" else 1)
        amount = money(amount)
        record = {
            "referenceNumber": number,
            "documentType": kind,
            "status": "Open",
            "hold": False,
            "documentDate": date,
            "documentDueDate": due,
            "currencyId": currency or company.currency,
            "amount": amount,
            "balance": amount,
            "paymentReference": ocr(number),
            "invoiceText": text,
            "customer": customer,
            "excludeDebtCollection": exclude,
            "debtCollection": {
                "caseNumber": None,
                "caseType": None,
                "caseStatus": None,
                "caseUrl": None,
            },
            "applications": [],
            "createdDateTime": now_text(),
        }
        self.stamp(record)
        company.invoices[number] = record
        return record

    def apply(
        self, company: Company, invoice: str, amount, *, doc_type: str, ref: str, date: dt.date
    ) -> None:
        """A released payment or credit note applied to the invoice: its balance goes down."""
        record = self.invoice(company, invoice)
        amount = money(amount)
        if amount <= 0 or amount > record["balance"]:
            raise Refused(
                400,
                f"Amount {amount} cannot be applied to invoice {invoice}",
                "ValidationException",
            )
        record["balance"] -= amount
        if record["balance"] == 0:
            record["status"] = "Closed"
        record["applications"].append(
            {
                "docType": doc_type,
                "customerCD": record["customer"],
                "refNbr": ref,
                "amountPaid": amount,
                "cashDiscountTaken": Decimal(0),
                "balance": record["balance"],
                "released": True,
                "hold": False,
                "voided": False,
                "paymentRef": record["paymentReference"],
                "status": "Closed",
                "applicationDate": date,
                "applicationPeriod": f"{date.year}{date.month:02d}",
                "invoiceText": "",
            }
        )
        self.stamp(record)

    def invoice(self, company: Company, number: str) -> dict:
        record = company.invoices.get(number)
        if record is None:
            raise Refused(404, f"Invoice with number {number} not found", "NotFoundException")
        return record

    def direct_payment(self, company: Company, invoice: str, amount, date: dt.date) -> str:
        record = self.invoice(company, invoice)
        number = self.next_number(company, "payment", 500001)
        payment = {
            "type": "Payment",
            "refNbr": number,
            "status": "Closed",
            "hold": False,
            "applicationDate": date,
            "paymentRef": record["paymentReference"],
            "customer": record["customer"],
            "currency": record["currencyId"],
            "paymentAmount": money(amount),
            "paymentLines": [
                {"documentType": "Invoice", "refNbr": invoice, "amountPaid": money(amount)}
            ],
            "_released": False,
        }
        company.payments[number] = payment
        self.release_payment(company, number)
        return number

    def release_payment(self, company: Company, number: str) -> None:
        payment = company.payments.get(number)
        if payment is None:
            raise Refused(404, f"Payment with number {number} not found", "NotFoundException")
        if payment["_released"]:
            raise Refused(400, f"Payment {number} is released already", "ValidationException")
        for line in payment["paymentLines"]:
            self.apply(
                company,
                line["refNbr"],
                line["amountPaid"],
                doc_type=payment["type"],
                ref=number,
                date=payment["applicationDate"],
            )
        payment["_released"], payment["status"] = True, "Closed"

    def credit_note(self, company: Company, invoice: str, amount, date: dt.date) -> str:
        """A credit note for (part of) the invoice, applied to it, as Visma.net's reverse does."""
        original = self.invoice(company, invoice)
        note = self.add_invoice(
            company,
            original["customer"],
            amount,
            date=date,
            due=date,
            currency=original["currencyId"],
            text=f"Kredit av faktura {invoice}",
            kind="CreditNote",
        )
        self.apply(
            company, invoice, amount, doc_type="CreditNote", ref=note["referenceNumber"], date=date
        )
        note["balance"], note["status"] = Decimal(0), "Closed"
        return note["referenceNumber"]

    def post_journal(self, company: Company, body: dict) -> str:
        lines = body.get("journalTransactionLines") or []
        if not lines:
            raise Refused(400, "A journal transaction needs lines", "ValidationException")
        rows, debit, credit = [], Decimal(0), Decimal(0)
        for index, line in enumerate(lines, start=1):
            account = value(line.get("accountNumber"))
            if not str(account or "").isdigit() or int(account) not in CHART:
                raise Refused(400, f"Account '{account}' does not exist", "ValidationException")
            d = money(value(line.get("debitAmountInCurrency")) or 0)
            c = money(value(line.get("creditAmountInCurrency")) or 0)
            debit, credit = debit + d, credit + c
            rows.append(
                {
                    "lineNumber": value(line.get("lineNumber")) or index,
                    "accountNumber": str(account),
                    "referenceNumber": value(line.get("referenceNumber")) or "",
                    "transactionDescription": value(line.get("transactionDescription")) or "",
                    "debitAmountInCurrency": d,
                    "creditAmountInCurrency": c,
                    "vatCodeId": value(line.get("vatCodeId")) or "",
                }
            )
        if debit != credit:
            raise Refused(
                400, f"The batch is out of balance ({debit} <> {credit})", "ValidationException"
            )
        date_text = str(value(body.get("transactionDate")) or "")[:10]
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError:
            raise Refused(
                400, f"Invalid transactionDate '{date_text}'", "ValidationException"
            ) from None
        number = self.next_number(company, "journal", 9000001)
        record = {
            "batchNumber": number,
            "module": "GL",
            "status": "Balanced",
            "hold": bool(value(body.get("hold"))),
            "transactionDate": date,
            "postPeriod": f"{date.year}{date.month:02d}",
            "financialPeriod": f"{date.year}{date.month:02d}",
            "currencyId": value(body.get("currencyId")) or company.currency,
            "description": value(body.get("description")) or "",
            "debitTotal": debit,
            "creditTotal": credit,
            "journalTransactionLines": rows,
            "createdDateTime": now_text(),
            "_created": dt.datetime.now(dt.UTC),
        }
        self.stamp(record)
        company.journal[number] = record
        return number

    def release_journal(self, company: Company, number: str) -> None:
        record = company.journal.get(number)
        if record is None:
            raise Refused(404, f"Journal transaction {number} not found", "NotFoundException")
        if record["status"] == "Posted":
            raise Refused(400, f"Batch {number} is released already", "ValidationException")
        record["status"] = "Posted"
        self.stamp(record)


def ocr(number: str) -> str:
    """An OCR number with a Luhn check digit (bankgiro's reference), from the invoice number."""
    digits = [int(d) for d in str(number) if d.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)
