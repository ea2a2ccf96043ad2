"""The Netvisor emulator's data and its XML, in the shapes of the reference answers
(integrations/netvisor/reference/*.xml): companies, API users, sales invoices with their status,
payments, processing history, vouchers, and the transfer material our design reads.

Records live in the kit's ObjectStore, one tenant per company (its business id). Amounts are
written with a decimal comma, dates as Netvisor writes them (ANSI with format="ansi" on
invoices, d.M.yyyy on payments and vouchers).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from integrations.emulation.store import NotFound, ObjectStore
from integrations.netvisor import xmlcodec
from nordic.references import fi_reference

e = xmlcodec.element
STATUSES = ("open", "overdue", "reminded", "requested", "collected", "paid", "unsent", "creditloss")


class Failure(Exception):
    """A FAILED answer: its category and message."""

    def __init__(self, category: str, message: str):
        super().__init__(f"{category} :: {message}")
        self.category, self.message = category, message


def money(value: Decimal) -> str:
    return xmlcodec.amount_text(Decimal(value))


def fi_date(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def response_status(now: dt.datetime, failure: Failure | None = None) -> etree._Element:
    stamp = f"{fi_date(now.date())} {now:%H:%M:%S}"
    if failure is None:
        return e("ResponseStatus", children=[e("Status", "OK"), e("TimeStamp", stamp)])
    return e(
        "ResponseStatus",
        children=[e("Status", "FAILED"), e("Status", str(failure)), e("TimeStamp", stamp)],
    )


class State:
    def __init__(self):
        self.store = ObjectStore({"invoice": 100, "payment": 500, "voucher": 900, "transfer": 1})
        self.partners: dict[str, str] = {}
        self.users: dict[str, dict] = {}  # customer id -> {"key", "orgs"}
        self.companies: dict[str, dict] = {}  # business id -> fields
        self.today = dt.date.today()

    # --- set-up (test hooks) ------------------------------------------------------------------

    def add_partner(self, partner_id: str, key: str) -> None:
        self.partners[partner_id] = key

    def add_company(self, org_id: str, name: str, **fields) -> dict:
        self.companies[org_id] = {"name": name, "org_id": org_id, **fields}
        return self.companies[org_id]

    def add_user(self, customer_id: str, key: str, orgs: list[str]) -> None:
        self.users[customer_id] = {"key": key, "orgs": list(orgs)}

    def add_invoice(
        self,
        org: str,
        *,
        number: str,
        customer: dict,
        amount,
        due: dt.date,
        invoice_date: dt.date | None = None,
        status: str = "open",
        currency: str = "EUR",
        collection_cost=0,
        match_partial=False,
        reference: str = "",
        lines=None,
        in_collection=False,
    ) -> dict:
        return self.store.add(
            "invoice",
            {
                "_tenant": org,
                "number": number,
                "customer": dict(customer),
                "amount": Decimal(str(amount)),
                "due": due,
                "invoice_date": invoice_date or due - dt.timedelta(days=14),
                "status": status,
                "currency": currency,
                "collection_cost": Decimal(str(collection_cost)),
                "match_partial": match_partial,
                "reference": reference or fi_reference(str(number)),
                "lines": lines or [("TUOTE", "Palvelu", Decimal(str(amount)))],
                "in_collection": in_collection,
                "history": [],
            },
        )

    def add_payment(
        self,
        org: str,
        invoice_id: int,
        amount,
        *,
        on: dt.date,
        source: str = "reference",
        bank_status: str = "OK",
    ) -> dict:
        invoice = self.store.get("invoice", invoice_id, org)
        return self.store.add(
            "payment",
            {
                "_tenant": org,
                "invoice": invoice_id,
                "number": invoice["number"],
                "sum": Decimal(str(amount)),
                "date": on,
                "source": source,
                "bank_status": bank_status,
                "name": invoice["customer"]["name"],
                "reference": invoice["reference"],
            },
        )

    def add_transfer(self, org: str, invoice_id: int, kind: str, on: dt.date | None = None):
        invoice = self.store.get("invoice", invoice_id, org)
        invoice["in_collection"] = True
        return self.store.add(
            "transfer",
            {
                "_tenant": org,
                "invoice": invoice_id,
                "kind": kind,
                "date": on or self.today,
                "acknowledged": False,
            },
        )

    # --- reads ------------------------------------------------------------------------------

    def open_sum(self, invoice: dict) -> Decimal:
        paid = sum(
            (
                p["sum"]
                for p in self.store.all("payment", invoice["_tenant"])
                if p["invoice"] == invoice["id"] and p["bank_status"] != "FAILED"
            ),
            Decimal(0),
        )
        return invoice["amount"] - paid

    def substatus(self, invoice: dict) -> str:
        if invoice["status"] == "open" and invoice["due"] < self.today:
            return "overdue"
        return ""

    def invoice(self, org: str, key: int) -> dict:
        return self.store.get("invoice", key, org)

    # --- rendering ----------------------------------------------------------------------------

    def invoice_row(self, inv: dict, host: str) -> etree._Element:
        status = e("InvoiceStatus", inv["status"])
        if self.substatus(inv):
            status.set("substatus", self.substatus(inv))
        status.set("isincollection", "1" if inv["in_collection"] else "0")
        c = inv["customer"]
        return e(
            "SalesInvoice",
            children=[
                e("NetvisorKey", inv["id"]),
                e("InvoiceNumber", inv["number"]),
                e("Invoicedate", inv["invoice_date"].isoformat(), format="ansi"),
                e("InvoiceDueDate", inv["due"].isoformat(), format="ansi"),
                status,
                e("CustomerCode", c.get("code", "")),
                e("CustomerName", c["name"]),
                e("ReferenceNumber", inv["reference"]),
                e("InvoiceSum", money(inv["amount"])),
                e("OpenSum", money(self.open_sum(inv))),
                e("Uri", f"http://{host}/getsalesinvoice.nv?netvisorkey={inv['id']}"),
            ],
        )

    def invoice_detail(self, inv: dict) -> etree._Element:
        c = inv["customer"]
        lines = [
            e(
                "SalesInvoiceProductLine",
                children=[
                    e("productidentifier", code, type="customer"),
                    e("ProductName", name),
                    e("ProductUnitPrice", money(price)),
                    e("ProductVatPercentage", 0, vatcode="NONE"),
                    e("SalesInvoiceProductLineQuantity", 1),
                    e("SalesInvoiceProductLineDiscountPercentage", 0),
                    e("SalesInvoiceProductLineFreeText"),
                    e("SalesInvoiceProductLineVatSum", "0,00"),
                    e("SalesInvoiceProductLineSum", money(price)),
                    e("AccountingAccountSuggestion", 3000),
                ],
            )
            for code, name, price in inv["lines"]
        ]
        history = [
            e(
                "ProcessHistoryLine",
                children=[e("Date", fi_date(day)), e("Action", action), e("Comment", comment)],
            )
            for day, action, comment in inv["history"]
        ]
        return e(
            "SalesInvoice",
            children=[
                e("SalesInvoiceNetvisorKey", inv["id"]),
                e("SalesInvoiceNumber", inv["number"]),
                e("SalesInvoiceDate", inv["invoice_date"].isoformat(), format="ansi"),
                e("SalesInvoiceDeliveryDate", inv["invoice_date"].isoformat(), format="ansi"),
                e("SalesInvoiceDueDate", inv["due"].isoformat(), format="ansi"),
                e("SalesInvoiceReferencenumber", inv["reference"]),
                e(
                    "SalesInvoiceAmount",
                    money(inv["amount"]),
                    iso4217currencycode=inv["currency"],
                    currencyrate="1",
                ),
                e("SalesInvoiceCollectionCost", money(inv["collection_cost"])),
                e("SellerIdentifier", "AutoCollect", type="name"),
                e("InvoiceStatus", inv["status"].capitalize()),
                e("SalesInvoiceFreeTextBeforeLines", c.get("text", "")),
                e("SalesInvoiceFreeTextAfterLines"),
                e("SalesInvoiceOurReference"),
                e("SalesInvoiceYourReference"),
                e("SalesInvoicePrivateComment"),
                e("InvoicingCustomerName", c["name"]),
                e("InvoicingCustomerNetvisorKey", c.get("key", "")),
                e("InvoicingCustomerCode", c.get("code", "")),
                e("InvoicingCustomerOrganisationIdentifier", c.get("org", "")),
                e("InvoicingCustomerAddressline", c.get("street", "")),
                e("InvoicingCustomerPostnumber", c.get("postcode", "")),
                e("InvoicingCustomerTown", c.get("town", "")),
                e("InvoicingCustomerCountryCode", c.get("country", "FINLAND")),
                e(
                    "InvoicingCustomerInCollectionProhibitation",
                    "Yes" if c.get("prohibited") else "No",
                ),
                e("MatchPartialPaymentsByDefault", "Yes" if inv["match_partial"] else "No"),
                e("PaymentTermNetDays", 14),
                e("ContactPersonEmail", c.get("email", "")),
                e("InvoiceLines", children=[e("InvoiceLine", children=lines)]),
                e("ProcessHistory", children=history),
            ],
        )

    def payment_row(self, p: dict) -> etree._Element:
        children = [
            e("NetvisorKey", p["id"]),
            e("Name", p["name"]),
            e("Date", fi_date(p["date"])),
            e("Sum", money(p["sum"])),
            e("ReferenceNumber", p["reference"]),
            e("ForeignCurrencyAmount"),
            e("InvoiceNumber", p["number"]),
            e("PaymentSource", p["source"]),
            e("BankStatus", p["bank_status"]),
        ]
        return e("SalesPayment", children=children)

    def voucher_row(self, v: dict) -> etree._Element:
        lines = [
            e(
                "VoucherLine",
                children=[
                    e("LineSum", money(line["sum"])),
                    e("Description", line["description"]),
                    e("AccountNumber", line["account"]),
                    e("VatPercent", 0),
                ],
            )
            for line in v["lines"]
        ]
        return e(
            "Voucher",
            children=[
                e("NetvisorKey", v["id"]),
                e("VoucherDate", fi_date(v["date"])),
                e("VoucherNumber", v["number"]),
                e("VoucherDescription", v["description"]),
                e("VoucherClass", v["voucher_class"]),
                e("VoucherNetvisorURI", f"https://netvisor.example/voucher/{v['id']}"),
                *lines,
            ],
            Status="valid",
        )

    def company_info(self, org: str) -> etree._Element:
        c = self.companies[org]
        return e(
            "CompanyInformation",
            children=[
                e(
                    "Company",
                    children=[
                        e("Name", c["name"]),
                        e("FinnishOrganizationIdentifier", org),
                        e("Type", "Osakeyhtiö"),
                        e("CurrentActivityStatus", "active"),
                        e("Domicile", c.get("town", "Helsinki")),
                        e(
                            "StreetAddress",
                            children=[
                                e("Street", c.get("street", "")),
                                e("PostalCode", c.get("postcode", "")),
                                e("PostalOffice", c.get("town", "")),
                            ],
                        ),
                        e("Email", c.get("email", "")),
                        e("Phone", c.get("phone", "")),
                    ],
                )
            ],
        )

    def transfer_row(self, t: dict) -> etree._Element:
        return e(
            "CollectionTransfer",
            children=[
                e("TransferKey", t["id"]),
                e("TransferType", t["kind"]),
                e("SalesInvoiceNetvisorKey", t["invoice"]),
                e("TransferDate", t["date"].isoformat(), format="ansi"),
            ],
        )


__all__ = ["STATUSES", "Failure", "NotFound", "State", "response_status"]
