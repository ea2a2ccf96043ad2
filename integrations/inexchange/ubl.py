"""Peppol BIS Billing 3.0 (UBL 2.1) invoices read with lxml into plain records, and checked
against the vendored UBL 2.1 schema (schema/ubl-2.1, see schema/README.md).

The element names are BIS 3's (docs.peppol.eu/poacc/billing/3.0, checked against the OpenPEPPOL
base example vendored as schema/peppol-bis3-base-example.xml):

| what | BIS 3 | business term |
|---|---|---|
| invoice number | `cbc:ID` | BT-1 |
| issue date, due date | `cbc:IssueDate`, `cbc:DueDate` | BT-2, BT-9 |
| note | `cbc:Note` | BT-22 |
| currency | `cbc:DocumentCurrencyCode` | BT-5 |
| customer | `cac:AccountingCustomerParty/cac:Party` | BG-7 |
| its electronic address, scheme | `cbc:EndpointID/@schemeID` (0007: Swedish org no) | BT-49 |
| its number at the seller | `cac:PartyIdentification/cbc:ID` | BT-46 |
| its legal registration | `cac:PartyLegalEntity/cbc:CompanyID/@schemeID` | BT-47 |
| e-mail | `cac:Contact/cbc:ElectronicMail` | BT-58 |
| payable amount | `cac:LegalMonetaryTotal/cbc:PayableAmount` | BT-115 |
| payment reference (OCR) | `cac:PaymentMeans/cbc:PaymentID` | BT-83 |

A customer with a legal registration (CompanyID) or an org-number endpoint is a business; one
without (a private person reached by e-mail, scheme "EM") a consumer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from lxml import etree

from integrations.base import ErpAddress
from integrations.errors import ErpMalformedResponse

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
INVOICE_XSD = SCHEMA_DIR / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd"
CREDIT_NOTE_XSD = SCHEMA_DIR / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd"
TEMPLATE = SCHEMA_DIR / "peppol-bis3-base-example.xml"
NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
ORG_NUMBER_SCHEMES = {"0007": "SE", "0192": "NO", "0184": "DK", "0196": "IS", "0212": "FI"}
ERP = "inexchange"


class NotValid(ErpMalformedResponse):
    """The document is not well-formed XML, or breaks the UBL 2.1 schema or what a case needs."""


@dataclass(frozen=True)
class BisCustomer:
    name: str
    endpoint_id: str
    endpoint_scheme: str
    number: str  # the seller's number for the buyer (BT-46), "" if none
    org_number: str  # legal registration (BT-47), "" for a consumer
    org_scheme: str
    email: str
    phone: str
    address: ErpAddress
    is_business: bool

    @property
    def key(self) -> str:
        """Who the customer is across invoices: the seller's number for them, else the
        electronic address with its scheme."""
        return self.number or f"{self.endpoint_scheme}:{self.endpoint_id}"


@dataclass(frozen=True)
class BisInvoice:
    number: str
    issue_date: dt.date
    due_date: dt.date | None
    currency: str
    payable_amount: Decimal
    payment_reference: str
    note: str
    customer: BisCustomer
    is_credit_note: bool = False


@lru_cache(maxsize=2)
def schema(path: Path = INVOICE_XSD) -> etree.XMLSchema:
    """The UBL 2.1 schema (loaded once per process: the common components are large)."""
    return etree.XMLSchema(etree.parse(str(path)))


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def parse_xml(data: bytes | str) -> etree._Element:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        return etree.fromstring(raw, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise NotValid(f"not well-formed XML: {exc}", erp=ERP) from None


def schema_errors(data: bytes | str | etree._Element) -> list[str]:
    """What in the document breaks the UBL 2.1 Invoice (or CreditNote) schema; [] if nothing."""
    root = data if isinstance(data, etree._Element) else parse_xml(data)
    namespace = etree.QName(root).namespace
    if namespace == NS["inv"]:
        xsd = schema(INVOICE_XSD)
    elif namespace == NS["cn"]:
        xsd = schema(CREDIT_NOTE_XSD)
    else:
        return [f"root {root.tag} is not a UBL 2.1 Invoice or CreditNote"]
    if xsd.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log][:5]


def invoice_parse(data: bytes | str) -> BisInvoice:
    """The BIS 3 invoice (or credit note) in `data`, checked against the schema first. NotValid
    names what is wrong."""
    root = parse_xml(data)
    problems = schema_errors(root)
    if problems:
        raise NotValid(f"breaks the UBL 2.1 schema: {'; '.join(problems)}", erp=ERP)
    return _read(root)


def _read(root) -> BisInvoice:
    is_credit_note = etree.QName(root).namespace == NS["cn"]
    number = _text(root, "cbc:ID")
    if not number:
        raise NotValid("invoice number (cbc:ID) missing", erp=ERP)
    what = f"invoice {number}"
    currency = _text(root, "cbc:DocumentCurrencyCode")
    amount_el = root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS)
    amount = _amount(what, amount_el)
    if amount_el.get("currencyID") != currency:
        raise NotValid(
            f"{what}: PayableAmount in {amount_el.get('currencyID')}, invoice in {currency}",
            erp=ERP,
        )
    due = _text(root, "cbc:DueDate") or _text(root, "cac:PaymentTerms/cbc:PaymentDueDate")
    return BisInvoice(
        number=number,
        issue_date=_date(what, "IssueDate", _text(root, "cbc:IssueDate")),
        due_date=_date(what, "DueDate", due) if due else None,
        currency=currency,
        payable_amount=amount,
        payment_reference=_text(root, "cac:PaymentMeans/cbc:PaymentID"),
        note=" ".join(n.text.strip() for n in root.findall("cbc:Note", NS) if n.text).strip(),
        customer=_customer(what, root.find("cac:AccountingCustomerParty/cac:Party", NS)),
        is_credit_note=is_credit_note,
    )


def _customer(what: str, party) -> BisCustomer:
    if party is None:
        raise NotValid(f"{what}: AccountingCustomerParty/Party missing", erp=ERP)
    endpoint = party.find("cbc:EndpointID", NS)
    legal = party.find("cac:PartyLegalEntity/cbc:CompanyID", NS)
    name = _text(party, "cac:PartyLegalEntity/cbc:RegistrationName") or _text(
        party, "cac:PartyName/cbc:Name"
    )
    if not name:
        raise NotValid(f"{what}: the customer has no name", erp=ERP)
    endpoint_id = (endpoint.text or "").strip() if endpoint is not None else ""
    endpoint_scheme = endpoint.get("schemeID", "") if endpoint is not None else ""
    if not endpoint_id:
        raise NotValid(f"{what}: the customer has no EndpointID", erp=ERP)
    org_number, org_scheme = "", ""
    if legal is not None and (legal.text or "").strip():
        org_number, org_scheme = legal.text.strip(), legal.get("schemeID", "")
    elif endpoint_scheme in ORG_NUMBER_SCHEMES:
        org_number, org_scheme = endpoint_id, endpoint_scheme
    address = party.find("cac:PostalAddress", NS)
    return BisCustomer(
        name=name,
        endpoint_id=endpoint_id,
        endpoint_scheme=endpoint_scheme,
        number=_text(party, "cac:PartyIdentification/cbc:ID"),
        org_number=org_number,
        org_scheme=org_scheme,
        email=_text(party, "cac:Contact/cbc:ElectronicMail")
        or (endpoint_id if endpoint_scheme == "EM" else ""),
        phone=_text(party, "cac:Contact/cbc:Telephone"),
        address=ErpAddress(
            line1=_text(address, "cbc:StreetName"),
            line2=_text(address, "cbc:AdditionalStreetName"),
            postal_code=_text(address, "cbc:PostalZone"),
            city=_text(address, "cbc:CityName"),
            country=_text(address, "cac:Country/cbc:IdentificationCode"),
        )
        if address is not None
        else ErpAddress(),
        is_business=bool(org_number),
    )


def _text(element, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _date(what: str, name: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NotValid(f"{what}: {name} {text!r} is not a date", erp=ERP) from None


def _amount(what: str, element) -> Decimal:
    if element is None:
        raise NotValid(f"{what}: LegalMonetaryTotal/PayableAmount missing", erp=ERP)
    try:
        return Decimal((element.text or "").strip())
    except InvalidOperation:
        problem = f"{what}: PayableAmount {element.text!r} is not an amount"
        raise NotValid(problem, erp=ERP) from None
