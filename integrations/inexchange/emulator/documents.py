"""Peppol BIS Billing 3.0 invoices built from the vendored OpenPEPPOL base example
(schema/peppol-bis3-base-example.xml): the template's structure with the invoice's own values,
Swedish parties (org numbers with scheme 0007, a consumer reached by e-mail with scheme EM),
bankgiro payment with an OCR reference, 25 % VAT. Every document validates against UBL 2.1."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from lxml import etree

from integrations.inexchange.ubl import NS, TEMPLATE

CENT = Decimal("0.01")
VAT = Decimal("25.0")


@dataclass(frozen=True)
class Party:
    name: str
    street: str
    postal_code: str
    city: str
    org_number: str = ""  # "" for a consumer
    email: str = ""
    phone: str = ""
    number: str = ""  # the seller's customer number
    country: str = "SE"

    @property
    def is_business(self) -> bool:
        return bool(self.org_number)


@dataclass(frozen=True)
class Line:
    name: str
    quantity: Decimal
    price: Decimal  # net, per unit


@dataclass(frozen=True)
class BisDocument:
    number: str
    issue_date: dt.date
    due_date: dt.date
    supplier: Party
    customer: Party
    lines: tuple[Line, ...]
    payment_reference: str
    bankgiro: str
    currency: str = "SEK"
    note: str = ""
    terms: str = "30 dagar netto"
    extra: dict = field(default_factory=dict)

    @property
    def net(self) -> Decimal:
        return sum((_q(line.quantity * line.price) for line in self.lines), Decimal(0))

    @property
    def vat(self) -> Decimal:
        return _q(self.net * VAT / 100)

    @property
    def payable(self) -> Decimal:
        return self.net + self.vat


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT)


@lru_cache(maxsize=1)
def _template() -> bytes:
    return TEMPLATE.read_bytes()


def _el(parent, path: str):
    found = parent.find(path, NS)
    if found is None:
        raise LookupError(f"template lacks {path}")
    return found


def _set(parent, path: str, value) -> None:
    _el(parent, path).text = str(value)


def _drop(parent, *paths: str) -> None:
    for path in paths:
        for found in parent.findall(path, NS):
            found.getparent().remove(found)


def _add_after(anchor, tag: str, text: str):
    prefix, name = tag.split(":")
    element = etree.Element(f"{{{NS[prefix]}}}{name}")
    element.text = text
    anchor.addnext(element)
    return element


def _party(element, party: Party, *, supplier: bool) -> None:
    endpoint = _el(element, "cbc:EndpointID")
    if party.is_business:
        endpoint.set("schemeID", "0007")
        endpoint.text = party.org_number
    else:
        endpoint.set("schemeID", "EM")
        endpoint.text = party.email
    if supplier or not party.number:
        _drop(element, "cac:PartyIdentification")
    else:
        ident = _el(element, "cac:PartyIdentification/cbc:ID")
        ident.attrib.pop("schemeID", None)
        ident.text = party.number
    _set(element, "cac:PartyName/cbc:Name", party.name)
    _set(element, "cac:PostalAddress/cbc:StreetName", party.street)
    _drop(element, "cac:PostalAddress/cbc:AdditionalStreetName")
    _set(element, "cac:PostalAddress/cbc:CityName", party.city)
    _set(element, "cac:PostalAddress/cbc:PostalZone", party.postal_code)
    _set(element, "cac:PostalAddress/cac:Country/cbc:IdentificationCode", party.country)
    if party.is_business:
        _set(element, "cac:PartyTaxScheme/cbc:CompanyID", f"SE{party.org_number}01")
        legal_id = _el(element, "cac:PartyLegalEntity/cbc:CompanyID")
        legal_id.set("schemeID", "0007")
        legal_id.text = party.org_number
    else:
        _drop(element, "cac:PartyTaxScheme", "cac:PartyLegalEntity/cbc:CompanyID")
    _set(element, "cac:PartyLegalEntity/cbc:RegistrationName", party.name)
    if not supplier:
        _set(element, "cac:Contact/cbc:Name", party.name)
        if party.phone:
            _set(element, "cac:Contact/cbc:Telephone", party.phone)
        else:
            _drop(element, "cac:Contact/cbc:Telephone")
        if party.email:
            _set(element, "cac:Contact/cbc:ElectronicMail", party.email)
        else:
            _drop(element, "cac:Contact/cbc:ElectronicMail")


def bis3_invoice(doc: BisDocument) -> bytes:
    """The invoice as BIS 3 XML (UTF-8)."""
    root = etree.fromstring(_template())
    _set(root, "cbc:ID", doc.number)
    _set(root, "cbc:IssueDate", doc.issue_date.isoformat())
    _set(root, "cbc:DueDate", doc.due_date.isoformat())
    if doc.note:
        _add_after(_el(root, "cbc:InvoiceTypeCode"), "cbc:Note", doc.note)
    _set(root, "cbc:DocumentCurrencyCode", doc.currency)
    _drop(root, "cbc:AccountingCost", "cac:Delivery", "cac:AllowanceCharge")
    _set(root, "cbc:BuyerReference", doc.customer.number or doc.customer.name[:30])
    _party(_el(root, "cac:AccountingSupplierParty/cac:Party"), doc.supplier, supplier=True)
    _party(_el(root, "cac:AccountingCustomerParty/cac:Party"), doc.customer, supplier=False)
    means = _el(root, "cac:PaymentMeans")
    _set(means, "cbc:PaymentID", doc.payment_reference)
    _set(means, "cac:PayeeFinancialAccount/cbc:ID", doc.bankgiro)
    _set(means, "cac:PayeeFinancialAccount/cbc:Name", doc.supplier.name)
    _set(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", "SE:BANKGIRO")
    _set(root, "cac:PaymentTerms/cbc:Note", doc.terms)
    _set(root, "cac:TaxTotal/cbc:TaxAmount", doc.vat)
    _set(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", doc.net)
    _set(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", doc.vat)
    total = _el(root, "cac:LegalMonetaryTotal")
    _drop(total, "cbc:ChargeTotalAmount")
    _set(total, "cbc:LineExtensionAmount", doc.net)
    _set(total, "cbc:TaxExclusiveAmount", doc.net)
    _set(total, "cbc:TaxInclusiveAmount", doc.payable)
    _set(total, "cbc:PayableAmount", doc.payable)
    _lines(root, doc)
    for element in root.iter():
        if element.get("currencyID") is not None:
            element.set("currencyID", doc.currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _lines(root, doc: BisDocument) -> None:
    prototypes = root.findall("cac:InvoiceLine", NS)
    prototype = copy.deepcopy(prototypes[0])
    anchor = prototypes[0].getprevious()
    for old in prototypes:
        root.remove(old)
    _drop(
        prototype,
        "cbc:AccountingCost",
        "cac:OrderLineReference",
        "cac:Item/cbc:Description",
        "cac:Item/cac:StandardItemIdentification",
        "cac:Item/cac:OriginCountry",
        "cac:Item/cac:CommodityClassification",
    )
    for number, line in enumerate(doc.lines, start=1):
        element = copy.deepcopy(prototype)
        _set(element, "cbc:ID", number)
        quantity = _el(element, "cbc:InvoicedQuantity")
        quantity.set("unitCode", "H87")
        quantity.text = str(line.quantity)
        _set(element, "cbc:LineExtensionAmount", _q(line.quantity * line.price))
        _set(element, "cac:Item/cbc:Name", line.name)
        _set(element, "cac:Price/cbc:PriceAmount", _q(line.price))
        anchor.addnext(element)
        anchor = element
