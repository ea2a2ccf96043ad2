"""The Netvisor emulator's demo: a Finnish company (EUR) whose API user is an accounting firm's
user reaching it and one other client, with invoices handed over for a reminder and for
collection, and the cases the guide refuses (prohibition, currency, not overdue, not reminded,
a separate interest invoice)."""

from __future__ import annotations

import datetime as dt

from integrations.netvisor.emulator.app import NetvisorEmulator

PARTNER_ID = "autocollect-partner"
PARTNER_KEY = "emulator-partner-key"
DEMO_USER = {"customer_id": "tilitoimisto-api", "customer_key": "emulator-customer-key"}
DEMO_ORG = "1572860-0"
OTHER_ORG = "2737599-0"
# The Store activation (emulator.store): our integration user, granted a company by the Store;
# a Netvisor user (an accounting firm's main user) who activates the service for a company that
# is not with us yet, with one overdue invoice to transfer once the service is on.
STORE_INTEGRATION = {"customer_id": "autocollect-store", "customer_key": "emulator-store-key"}
STORE_ORG = "0737546-2"
STORE_PERSON = {
    "email": "aino@tilitoimisto.example",
    "name": "Aino Virtanen",
    "phone": "040 123 4567",
    "role": "TPK",
}


def customer(name: str, **fields) -> dict:
    base = {
        "key": fields.pop("key", name[:3].upper()),
        "code": name[:3].upper(),
        "name": name,
        "street": "Esimerkkikatu 1",
        "postcode": "00100",
        "town": "Helsinki",
        "country": "FI",
        "email": f"{name.split()[0].lower()}@example.fi",
    }
    return {**base, **fields}


def seed_demo(emulator: NetvisorEmulator, today: dt.date) -> dict:
    s = emulator.state
    s.today = today
    s.add_partner(PARTNER_ID, PARTNER_KEY)
    s.add_company(
        DEMO_ORG,
        "Saimaan Sähkö Oy",
        street="Kauppakatu 5",
        postcode="53100",
        town="Lappeenranta",
        email="laskutus@saimaansahko.example",
        phone="05 123 4567",
    )
    s.add_company(OTHER_ORG, "Oulun Puu Oy", town="Oulu")
    s.add_user(DEMO_USER["customer_id"], DEMO_USER["customer_key"], [DEMO_ORG, OTHER_ORG])
    d = dt.timedelta
    matti = customer("Matti Meikäläinen", key="11")
    yritys = customer("Rakennus Virtanen Oy", key="12", org="2345678-4")
    kielto = customer("Kiellon Kauppa Oy", key="13", org="3456789-0", prohibited=True)
    reminder = s.add_invoice(
        DEMO_ORG, number="1001", customer=matti, amount="245.80", due=today - d(20)
    )
    collection = s.add_invoice(
        DEMO_ORG,
        number="1002",
        customer=yritys,
        amount="1240.00",
        due=today - d(60),
        status="reminded",
        collection_cost="15.00",
    )
    plan = s.add_invoice(
        DEMO_ORG,
        number="1003",
        customer=matti,
        amount="600.00",
        due=today - d(30),
        match_partial=True,
    )
    refused = {
        "prohibition": s.add_invoice(
            DEMO_ORG, number="1004", customer=kielto, amount="300.00", due=today - d(25)
        ),
        "currency": s.add_invoice(
            DEMO_ORG,
            number="1005",
            customer=yritys,
            amount="410.00",
            due=today - d(25),
            currency="USD",
        ),
        "not_overdue": s.add_invoice(
            DEMO_ORG, number="1006", customer=matti, amount="90.00", due=today + d(5)
        ),
        "not_reminded": s.add_invoice(
            DEMO_ORG, number="1007", customer=yritys, amount="700.00", due=today - d(40)
        ),
        "interest": s.add_invoice(
            DEMO_ORG,
            number="1008",
            customer=matti,
            amount="12.40",
            due=today - d(15),
            lines=[("KORKO", "Viivästyskorko", "12.40")],
        ),
    }
    s.add_company(
        STORE_ORG,
        "Kuopion Kala Oy",
        street="Satamakatu 3",
        postcode="70100",
        town="Kuopio",
        email="kirjanpito@kuopionkala.example",
    )
    s.add_user(STORE_INTEGRATION["customer_id"], STORE_INTEGRATION["customer_key"], [])
    emulator.store_pages.add_person(STORE_PERSON["email"], org=STORE_ORG, **{
        k: STORE_PERSON[k] for k in ("name", "phone", "role")
    })  # fmt: skip
    waiting = s.add_invoice(
        STORE_ORG, number="501", customer=customer("Liisa Laine", key="21"),
        amount="182.50", due=today - d(21),
    )  # fmt: skip
    s.add_transfer(STORE_ORG, waiting["id"], "reminder")  # sent once the service is on
    s.add_transfer(DEMO_ORG, reminder["id"], "reminder")
    s.add_transfer(DEMO_ORG, collection["id"], "collection")
    s.add_transfer(DEMO_ORG, plan["id"], "reminder")
    for kind, invoice in refused.items():
        s.add_transfer(
            DEMO_ORG, invoice["id"], "collection" if kind == "not_reminded" else "reminder"
        )
    return {
        "partner": {"id": PARTNER_ID, "key": PARTNER_KEY},
        "user": DEMO_USER,
        "organisation_id": DEMO_ORG,
        "other_organisation_id": OTHER_ORG,
        "store": {
            "integration": STORE_INTEGRATION,
            "organisation_id": STORE_ORG,
            "person": STORE_PERSON,
        },
        "invoices": {
            "reminder": reminder["id"],
            "collection": collection["id"],
            "plan": plan["id"],
            **{k: v["id"] for k, v in refused.items()},
        },
    }
