"""The Visma.net emulator's JSON: its records written in the Financials API's DTO shapes (VN-OAS),
and request bodies read back (integrations.visma.emulator.app serves them)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from integrations.visma.emulator.state import Refused

COUNTRY_NAMES = {"SE": "Sweden", "NO": "Norway", "FI": "Finland", "DK": "Denmark"}


def json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_body(request) -> dict:
    try:
        body = json.loads(request.get_data() or b"{}", parse_float=Decimal)
    except ValueError as exc:
        raise Refused(400, f"The request is invalid: {exc}") from None
    if not isinstance(body, dict):
        raise Refused(400, "The request is invalid: expected an object")
    return body


def datetime_text(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00"


def etag(record: dict) -> str:
    return f'"{record["timeStamp"]}"'


def address_dto(a: dict) -> dict:
    country = a.get("country", "SE")
    return {
        "addressLine1": a.get("line1", ""),
        "addressLine2": a.get("line2", ""),
        "postalCode": a.get("postal_code", ""),
        "city": a.get("city", ""),
        "country": {"id": country, "name": COUNTRY_NAMES.get(country, country)},
    }


def payment_dto(company, p: dict) -> dict:
    customer = company.customers.get(p["customer"] or "", {})
    return {
        "type": p["type"],
        "refNbr": p["refNbr"],
        "status": p["status"],
        "hold": p["hold"],
        "applicationDate": datetime_text(p["applicationDate"]),
        "paymentRef": p["paymentRef"],
        "customer": {"number": p["customer"], "name": customer.get("name", "")},
        "currency": p["currency"],
        "paymentAmount": p["paymentAmount"],
        "paymentLines": [dict(x) for x in p["paymentLines"]],
    }


def journal_dto(j: dict) -> dict:
    return {
        "batchNumber": j["batchNumber"],
        "module": j["module"],
        "status": j["status"],
        "hold": j["hold"],
        "transactionDate": datetime_text(j["transactionDate"]),
        "postPeriod": j["postPeriod"],
        "financialPeriod": j["financialPeriod"],
        "currencyId": j["currencyId"],
        "description": j["description"],
        "debitTotal": j["debitTotal"],
        "creditTotal": j["creditTotal"],
        "journalTransactionLines": [dict(x) for x in j["journalTransactionLines"]],
        "createdDateTime": j["createdDateTime"],
        "lastModifiedDateTime": j["lastModifiedDateTime"],
        "timeStamp": j["timeStamp"],
    }


def customer_dto(company, c: dict) -> dict:
    klass = c["customerClass"]
    contact = {"name": c["name"], "email": c["email"], "phone1": c["phone"]}
    return {
        "internalId": c["internalId"],
        "number": c["number"],
        "name": c["name"],
        "status": c["status"],
        "mainAddress": address_dto(c["address"]),
        "mainContact": contact,
        "invoiceAddress": address_dto(c["address"]),
        "invoiceContact": contact,
        "customerClass": ({"id": klass, "description": company.classes[klass]} if klass else None),
        "corporateId": c["corporateId"],
        "currencyId": c["currencyId"],
        "lastModifiedDateTime": c["lastModifiedDateTime"],
        "createdDateTime": c["createdDateTime"],
    }


def invoice_dto(company, i: dict, expand: bool) -> dict:
    customer = company.customers[i["customer"]]
    day = i["documentDate"]
    dto = {
        "referenceNumber": i["referenceNumber"],
        "documentType": i["documentType"],
        "status": i["status"],
        "hold": i["hold"],
        "documentDate": datetime_text(day),
        "documentDueDate": datetime_text(i["documentDueDate"]),
        "postPeriod": f"{day.month:02d}{day.year}",
        "financialPeriod": f"{day.year}{day.month:02d}",
        "currencyId": i["currencyId"],
        "exchangeRate": 1.0,
        "amount": i["amount"],
        "amountInCurrency": i["amount"],
        "balance": i["balance"],
        "balanceInCurrency": i["balance"],
        "paymentReference": i["paymentReference"],
        "invoiceText": i["invoiceText"],
        "note": i.get("note") or "",
        "customer": {"number": customer["number"], "name": customer["name"]},
        "excludeDebtCollection": i["excludeDebtCollection"],
        "debtCollection": dict(i["debtCollection"]),
        "lastModifiedDateTime": i["lastModifiedDateTime"],
        "createdDateTime": i["createdDateTime"],
        "timeStamp": i["timeStamp"],
    }
    if expand:
        dto["applications"] = [
            {**a, "applicationDate": datetime_text(a["applicationDate"])} for a in i["applications"]
        ]
    return dto
