"""The Tripletex emulator's endpoints: a handler per route, (Call) -> (status, body), and ROUTES.
Rendering, list envelopes and the parameter readers they use are in rendering.py."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from integrations.tripletex.emulator.model import ApiFailure, Ref, date_param, invalid
from integrations.tripletex.emulator.rendering import Call, id_set, int_arg, required


def session_create(call: Call):
    required(call.args, "consumerToken", "employeeToken", "expirationDate")
    expires = date_param(call.args["expirationDate"], "expirationDate")
    session = call.state.create_session(
        call.args["consumerToken"], call.args["employeeToken"], expires
    )
    return 200, {"value": call.render.render(Ref("sessionToken", session["id"]), call.spec)}


def who_am_i(call: Call):
    employee = call.state.objects["employee"][call.token["employee"]]
    info = {
        "employeeId": employee["id"],
        "actualEmployeeId": employee["id"],
        "employee": Ref("employee", employee["id"]),
        "companyId": call.company,
        "company": Ref("company", call.company),
        "language": "NO",
        "loggedInWithConnect": False,
        "employeeIsProxy": call.company != call.token["company"],
    }
    return 200, {"value": call.render.render(info, call.spec)}


def session_delete(call: Call):
    call.state.sessions.pop(call.params["token"], None)
    return 204, None


def company_get(call: Call):
    reachable = {call.company, call.token["company"], *call.token["clients"]}
    if call.params["id"] not in reachable:
        raise ApiFailure(403, 9000, "Ingen tilgang.", f"No access to company {call.params['id']}")
    call.state.get("company", call.params["id"])
    return 200, {"value": call.render.render(Ref("company", call.params["id"]), call.spec)}


def with_login_access(call: Call):
    refs = [Ref("company", c) for c in sorted(call.token["clients"])]
    return 200, call.render.envelope(refs, call.args, lambda r: {"customerCompanyId": r.id})


def invoice_list(call: Call):
    required(call.args, "invoiceDateFrom", "invoiceDateTo")
    date_from = date_param(call.args["invoiceDateFrom"], "invoiceDateFrom").isoformat()
    date_to = date_param(call.args["invoiceDateTo"], "invoiceDateTo").isoformat()
    ids, vouchers = id_set(call.args, "id"), id_set(call.args, "voucherId")
    customers = id_set(call.args, "customerId")
    number, kid = call.args.get("invoiceNumber"), call.args.get("kid")

    def keep(inv: dict) -> bool:
        return (
            date_from <= inv["invoiceDate"] < date_to
            and (ids is None or inv["id"] in ids)
            and (vouchers is None or inv["voucher"].id in vouchers)
            and (customers is None or inv["customer"].id in customers)
            and (not number or str(inv["invoiceNumber"]) == number)
            and (not kid or inv["kid"] == kid)
        )

    return call.rows("invoice", keep)


def invoice_get(call: Call):
    return call.one("invoice", call.params["id"])


def invoice_payment(call: Call):
    required(call.args, "paymentDate", "paymentTypeId", "paidAmount")
    paid_on = date_param(call.args["paymentDate"], "paymentDate")
    amounts = {}
    for name in ("paidAmount", "paidAmountCurrency"):
        if call.args.get(name):
            try:
                amounts[name] = Decimal(call.args[name])
            except InvalidOperation:
                raise invalid((name, "Må være et tall.")) from None
    payment_type = int_arg(call.args, "paymentTypeId", 0)
    call.state.register_payment(
        call.company,
        call.params["id"],
        paid_on,
        amounts["paidAmount"],
        amounts.get("paidAmountCurrency"),
        payment_type,
    )
    return call.one("invoice", call.params["id"])


def payment_types(call: Call):
    return call.rows("paymentType")


def customer_list(call: Call):
    ids = id_set(call.args, "id")
    text = {k: call.args.get(k) for k in ("organizationNumber", "email", "invoiceEmail")}
    name = (call.args.get("customerName") or "").lower()
    # changedSince is accepted and ignored: every emulator customer counts as changed.

    def keep(c: dict) -> bool:
        return (
            (ids is None or c["id"] in ids)
            and all(not v or c[k] == v for k, v in text.items())
            and name in c["name"].lower()
        )

    return call.rows("customer", keep)


def customer_get(call: Call):
    return call.one("customer", call.params["id"])


def account_list(call: Call):
    numbers = {n for n in (call.args.get("number") or "").split(",") if n}
    return call.rows("account", lambda a: not numbers or str(a["number"]) in numbers)


def voucher_post(call: Call):
    voucher_id = call.state.post_voucher(call.company, call.body)
    return call.one("voucher", voucher_id, status=201)


def voucher_get(call: Call):
    return call.one("voucher", call.params["id"])


def voucher_by_external(call: Call):
    wanted = call.args.get("externalVoucherNumber")
    return call.rows("voucher", lambda v: wanted is None or v["externalVoucherNumber"] == wanted)


def posting_get(call: Call):
    return call.one("posting", call.params["id"])


def voucher_status_list(call: Call):
    ids, vouchers = id_set(call.args, "ids"), id_set(call.args, "voucherIds")
    status, kind = call.args.get("status"), call.args.get("type")

    def keep(s: dict) -> bool:
        return (
            (ids is None or s["id"] in ids)
            and (vouchers is None or s["voucher"].id in vouchers)
            and (not status or s["status"] == status)
            and (not kind or s["type"] == kind)
        )

    return call.rows("voucherStatus", keep)


def voucher_status_post(call: Call):
    return call.one("voucherStatus", call.state.post_voucher_status(call.company, call.body), 201)


def voucher_status_get(call: Call):
    return call.one("voucherStatus", call.params["id"])


# (method, path as the spec writes it, handler, needs a session)
ROUTES = [
    ("PUT", "/token/session/:create", session_create, False),
    ("GET", "/token/session/>whoAmI", who_am_i, True),
    ("DELETE", "/token/session/{token}", session_delete, True),
    ("GET", "/company/>withLoginAccess", with_login_access, True),
    ("GET", "/company/{id}", company_get, True),
    ("GET", "/invoice", invoice_list, True),
    ("GET", "/invoice/paymentType", payment_types, True),
    ("GET", "/invoice/{id}", invoice_get, True),
    ("PUT", "/invoice/{id}/:payment", invoice_payment, True),
    ("GET", "/customer", customer_list, True),
    ("GET", "/customer/{id}", customer_get, True),
    ("GET", "/ledger/account", account_list, True),
    ("POST", "/ledger/voucher", voucher_post, True),
    ("GET", "/ledger/voucher/>externalVoucherNumber", voucher_by_external, True),
    ("GET", "/ledger/voucher/{id}", voucher_get, True),
    ("GET", "/ledger/posting/{id}", posting_get, True),
    ("GET", "/voucherStatus", voucher_status_list, True),
    ("POST", "/voucherStatus", voucher_status_post, True),
    ("GET", "/voucherStatus/{id}", voucher_status_get, True),
]
