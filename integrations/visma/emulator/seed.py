"""The emulator's demo data: one Visma Connect user who reaches two Swedish companies.

Norrsken Bygg AB has customer classes (PRIVAT, FORETAG, KONCERN), consumers and businesses,
SEK and EUR invoices, a customer whose invoices Visma.net excludes from debt collection, a
credit note and a direct payment; Vättern Konsult AB is a small company with a few invoices.
Deterministic for a given `today` (tenant ids, numbers), so another process can seed a fresh
emulator to learn the ids of one served elsewhere.
"""

from __future__ import annotations

import datetime as dt

from integrations.emulation import fixtures

CLIENT_ID = "autocollect-dev"
CLIENT_SECRET = "autocollect-dev-secret"
NORRSKEN = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a41"
VATTERN = "0a9b8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c72"
CUSTOMER_TENANT = "c0ffee00-1111-4222-8333-944455556666"  # the organisation, not a company
USER = {"sub": "anna.lind", "email": "anna.lind@norrskenbygg.example", "name": "Anna Lind"}


def seed_demo(emulator, today: dt.date) -> dict:
    emulator.add_client(CLIENT_ID, CLIENT_SECRET)
    norrsken = emulator.add_company(
        NORRSKEN,
        "Norrsken Bygg AB",
        "5566778899",
        address={"line1": "Storgatan 12", "postal_code": "90326", "city": "Umeå"},
        email="ekonomi@norrskenbygg.example",
        phone="+46 90 12 34 56",
        customer_tenant_id=CUSTOMER_TENANT,
    )
    norrsken.classes.update(
        {"PRIVAT": "Privatkunder", "FORETAG": "Företagskunder", "KONCERN": "Koncernbolag"}
    )
    emulator.add_company(
        VATTERN,
        "Vättern Konsult AB",
        "5590123456",
        address={"line1": "Hamngatan 3", "postal_code": "55316", "city": "Jönköping"},
        email="faktura@vatternkonsult.example",
        customer_tenant_id=CUSTOMER_TENANT,
    )
    for tenant in (NORRSKEN, VATTERN, CUSTOMER_TENANT):
        emulator.grant(CLIENT_ID, tenant)
    # One Visma Connect user with the "AutoCollect user" role in both companies.
    emulator.add_user(USER["sub"], USER["name"], USER["email"], [NORRSKEN, VATTERN])

    def customer(tenant, name, corporate_id, klass=None, city="Umeå", **kw):
        return emulator.add_customer(
            tenant,
            name,
            corporate_id,
            customer_class=klass,
            email=kw.pop("email", f"{name.split()[0].lower()}@example.se"),
            address={
                "line1": kw.pop("street", "Kungsgatan 1"),
                "postal_code": "90325",
                "city": city,
            },
            **kw,
        )["number"]

    people = [
        customer(NORRSKEN, "Erik Johansson", "19800412-1234", "PRIVAT"),
        customer(NORRSKEN, "Maria Svensson", "197511025678", "PRIVAT"),
        customer(NORRSKEN, "Lars Nilsson", "850315-9012", "PRIVAT"),
    ]
    firms = [
        customer(NORRSKEN, "Bergström Fastigheter AB", "5561234567", "FORETAG"),
        customer(NORRSKEN, "Umeå Hyresbostäder AB", "5567654321", "FORETAG"),
        customer(NORRSKEN, "Nordic Timber Oy", "FI12345678", "FORETAG", city="Uleåborg"),
    ]
    sister = customer(NORRSKEN, "Norrsken Förvaltning AB", "5569876543", "KONCERN")
    no_class = customer(NORRSKEN, "Kalles Rör HB", "9696123456")

    def invoice(tenant, who, amount, days_overdue, **kw):
        due = today - dt.timedelta(days=days_overdue)
        return emulator.add_invoice(
            tenant, who, amount, date=due - dt.timedelta(days=30), due=due, **kw
        )["referenceNumber"]

    open_ids = [
        invoice(NORRSKEN, people[0], "4375.00", 20, text="Badrumsrenovering, material"),
        invoice(NORRSKEN, people[1], "1250.00", 12, text=""),
        invoice(NORRSKEN, people[2], "890.50", 45, text="Service värmepump"),
        invoice(NORRSKEN, firms[0], "56250.00", 16, text="Takbyte Storgatan 4"),
        invoice(NORRSKEN, firms[1], "18700.00", 31, text="Fasadmålning etapp 2"),
        invoice(NORRSKEN, firms[2], "2400.00", 25, currency="EUR", text="Timber delivery"),
        invoice(NORRSKEN, sister, "9999.00", 40, text="Internfakturering"),
        invoice(NORRSKEN, no_class, "3100.00", 18, text="Rörarbeten"),
    ]
    excluded = invoice(
        NORRSKEN, firms[1], "7300.00", 22, exclude=True, text="Tvist om slutbesiktning"
    )
    not_due = invoice(NORRSKEN, firms[0], "15000.00", -10, text="Takbyte, slutfaktura")
    # A direct payment and a credit note in Visma.net on two of the open invoices.
    paid_part = open_ids[3]
    emulator.direct_payment(NORRSKEN, paid_part, "6250.00", today - dt.timedelta(days=2))
    credited = open_ids[4]
    credit_note = emulator.credit_note(NORRSKEN, credited, "700.00", today - dt.timedelta(days=3))
    paid_in_full = invoice(NORRSKEN, people[0], "600.00", 15)
    emulator.direct_payment(NORRSKEN, paid_in_full, "600.00", today - dt.timedelta(days=1))

    v_customers = [
        customer(VATTERN, "Jönköpings Energi AB", "5562223334", city="Jönköping"),
        customer(VATTERN, "Sofia Ek", "19900101-2389", city="Huskvarna"),
    ]
    v_open = [
        invoice(VATTERN, v_customers[0], "12500.00", 14, text="Konsulttjänster oktober"),
        invoice(VATTERN, v_customers[1], "2200.00", 21, text=""),
    ]
    return {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "user": USER,
        "customer_tenant_id": CUSTOMER_TENANT,
        "companies": [
            {
                "tenant_id": NORRSKEN,
                "name": "Norrsken Bygg AB",
                "org_number": "5566778899",
                "open_invoices": open_ids,
                "excluded_invoice": excluded,
                "not_due_invoice": not_due,
                "paid_invoice": paid_in_full,
                "part_paid_invoice": paid_part,
                "credited_invoice": credited,
                "credit_note": credit_note,
                "consumers": people,
                "businesses": [*firms, sister, no_class],
                "classes": ["FORETAG", "KONCERN", "PRIVAT"],
            },
            {
                "tenant_id": VATTERN,
                "name": "Vättern Konsult AB",
                "org_number": "5590123456",
                "open_invoices": v_open,
                "consumers": [v_customers[1]],
                "businesses": [v_customers[0]],
                "classes": [],
            },
        ],
    }


def seed_bulk(emulator, today: dt.date, count: int, customers: int = 500) -> dict:
    """One company with `count` overdue invoices over `customers` customers (bench/import.py):
    the fixture factory's Swedish customers (a consumer's corporate id is the personal number,
    as in Visma.net) and invoices, numbered as the factory numbers them."""
    emulator.add_client(CLIENT_ID, CLIENT_SECRET)
    emulator.add_company(NORRSKEN, "Norrsken Bygg AB", "5566778899")
    emulator.grant(CLIENT_ID, NORRSKEN)
    people = fixtures.customers("SE", customers)
    for c in people:
        emulator.add_customer(
            NORRSKEN,
            c.name,
            c.org_number or c.personal_id,
            number=str(c.number),
            email=c.email,
            phone=c.phone,
            address={
                "line1": c.address.street,
                "postal_code": c.address.postal_code,
                "city": c.address.city,
            },
        )
    for invoice in fixtures.invoices(people, today, count):
        emulator.add_invoice(
            NORRSKEN,
            str(invoice.customer.number),
            invoice.amount,
            date=invoice.issue_date,
            due=invoice.due_date,
            currency=invoice.currency,
            text=invoice.text,
            number=str(invoice.number),
        )
    return {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "companies": [{"tenant_id": NORRSKEN, "name": "Norrsken Bygg AB"}],
    }
