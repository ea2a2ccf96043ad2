"""Demo data for the Tripletex emulator: two Norwegian client companies and an accounting firm.

Deterministic: the same `today` on a fresh emulator gives the same ids, tokens and amounts.
Names and numbers are invented (org numbers only pass the mod-11 check); the demo's are written
here, the bulk's come from the emulator kit's fixture factory (integrations.emulation.fixtures).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from integrations.emulation import fixtures
from integrations.emulation.fixtures import Segment, invoice_reference, org_number

ACCOUNTANT_TOKEN = "test-accountant-vidde"

# name, org prefix (8 digits), private, category, email, postal code, city, street
FJORDVIK_CUSTOMERS = [
    ("Bryggen Eiendom AS", "92431876", False, "Storkunde", "faktura@bryggen-eiendom.example",
     "5003", "Bergen", "Bryggen 12"),
    ("Sandviken Bakeri AS", "99302118", False, "Bedrift", "post@sandvikenbakeri.example",
     "5035", "Bergen", "Sandviksveien 41"),
    ("Kari Nordmann", "", True, "Privat", "kari.nordmann@example.no", "5052", "Bergen",
     "Kalfarveien 7"),
    ("Ola Hansen", "", True, "Privat", "", "5130", "Nyborg", "Åsamyrane 88"),
    ("Hordaland Byggservice AS", "91564423", False, "Bedrift", "regnskap@hbs.example", "5221",
     "Nesttun", "Nesttunvegen 90"),
    ("Fana Tannlegesenter AS", "98873340", False, "Storkunde", "post@fanatann.example", "5238",
     "Rådal", "Lagunen 3"),
    ("Ingrid Berg", "", True, "Privat", "ingrid.berg@example.no", "5009", "Bergen",
     "Nygårdsgaten 21"),
    ("Åsane Frisør Silje Lie", "92017763", False, "Bedrift", "silje@asanefrisor.example", "5116",
     "Ulset", "Åsane senter 1"),
]  # fmt: skip
NORDLYS_CUSTOMERS = [
    ("Tromsø Havn Logistikk AS", "98120457", False, "Storkunde", "faktura@thl.example", "9008",
     "Tromsø", "Stakkevollvegen 65"),
    ("Ishavskysten Hotell AS", "91788312", False, "Storkunde", "booking@ishavshotell.example",
     "9008", "Tromsø", "Fredrik Langes gate 2"),
    ("Nils Johansen", "", True, "Privat", "nils.johansen@example.no", "9011", "Tromsø",
     "Skippergata 19"),
    ("Sara Eriksen", "", True, "Privat", "", "9020", "Tromsdalen", "Tromsdalsvegen 5"),
    ("Polarlys Kafé AS", "92644109", False, "Bedrift", "post@polarlyskafe.example", "9008",
     "Tromsø", "Storgata 88"),
    ("Kvaløya Snekkerverksted AS", "99418530", False, "Bedrift", "", "9100", "Kvaløysletta",
     "Kvaløyvegen 301"),
    ("Marius Olsen", "", True, "Privat", "marius.olsen@example.no", "9012", "Tromsø",
     "Hansjordnesbukta 4"),
]  # fmt: skip
# customer index, days from today to the due date (negative: overdue), amount, comment
FJORDVIK_INVOICES = [
    (0, -90, "18750.00", "Rehabilitering av bad, 3. etg"),
    (1, -62, "4375.50", "Utskifting av varmtvannsbereder"),
    (4, -45, "12500.00", "Rørarbeid, nybygg Nesttun"),
    (2, -31, "2890.00", "Tett avløp kjøkken"),
    (5, -21, "7640.25", "Service og vedlikehold"),
    (3, -16, "1250.00", "Utrykning helg"),
    (6, -10, "3420.00", "Montering av servant"),
    (7, -5, "980.00", "Lekkasjesøk"),
    (0, -1, "15600.00", "Stakeoppdrag, fellesavløp"),
    (1, 7, "5200.00", "Nytt sluk"),
    (5, 20, "2450.00", "Termostatblandere"),
]
NORDLYS_INVOICES = [
    (0, -75, "24300.00", "Elektrisk anlegg, lager 2"),
    (1, -48, "8990.00", "Nødlys, kontroll"),
    (2, -33, "3150.00", "Ny sikringsskap"),
    (4, -19, "6420.75", "Kjøkkenventilasjon, elektro"),
    (3, -15, "1875.00", "Feilsøking"),
    (5, -12, "11250.00", "Verkstedbelysning"),
    (6, -3, "2260.00", "Varmekabler bad"),
    (1, 10, "4780.00", "Periodisk kontroll"),
    (0, 25, "9600.00", "Ladeanlegg el-bil"),
]


# The bulk's customer segments as Tripletex customer categories (the demo's names).
CATEGORIES = {
    Segment.CONSUMER: "Privat",
    Segment.BUSINESS: "Bedrift",
    Segment.KEY_ACCOUNT: "Storkunde",
}


def _company(emulator, today, name, org_prefix, token, city, street, postal, customers, invoices):
    company = emulator.add_company(
        name,
        org_number("NO", org_prefix),
        email=f"post@{name.split()[0].lower()}.example",
        phone="+47 55 00 00 00",
        address_line1=street,
        postal_code=postal,
        city=city,
    )
    employee_token = emulator.add_employee_token(company, token)
    customer_ids = []
    for i, (cname, prefix, private, category, email, pcode, ccity, cstreet) in enumerate(customers):
        customer_ids.append(
            emulator.add_customer(
                company,
                cname,
                organization_number=org_number("NO", prefix) if prefix else "",
                is_private=private,
                email=email,
                invoice_email=email if not private else "",
                phone=f"+47 9{i}0 00 00{i}",
                address_line1=cstreet,
                postal_code=pcode,
                city=ccity,
                category=category,
                customer_number=10001 + i,
            )
        )

    def invoice(customer_index, due_in, amount, comment):
        due = today + dt.timedelta(days=due_in)
        terms = 14 if customers[customer_index][2] else 30
        number = 1001 + len(open_ids) + len(special)
        return emulator.add_invoice(
            company,
            customer_ids[customer_index],
            due - dt.timedelta(days=terms),
            due,
            Decimal(amount),
            "NOK",
            invoice_reference("NO", 10001 + customer_index, number),
            comment,
            invoice_number=number,
        )

    open_ids: list[int] = []
    special: dict[str, int] = {}
    for row in invoices:
        open_ids.append(invoice(*row))
    special["paid"] = invoice(1, -40, "6250.00", "Betalt: innregulering av varmeanlegg")
    emulator.register_direct_payment(
        company, special["paid"], Decimal("6250.00"), today - dt.timedelta(days=33)
    )
    special["partly_paid"] = invoice(4, -35, "9800.00", "Delbetalt: nye rør i kjeller")
    emulator.register_direct_payment(
        company, special["partly_paid"], Decimal("4000.00"), today - dt.timedelta(days=20)
    )
    open_ids.append(special["partly_paid"])
    special["credited"] = invoice(2, -25, "3100.00", "Kreditert: feilfakturert time")
    special["credit_note"] = emulator.add_credit_note(
        company, special["credited"], today - dt.timedelta(days=20)
    )
    return {
        "id": company,
        "client_id": company,
        "name": name,
        "organization_number": org_number("NO", org_prefix),
        "employee_token": employee_token,
        "customer_ids": customer_ids,
        "open_invoice_ids": open_ids,
        "paid_invoice_id": special["paid"],
        "partly_paid_invoice_id": special["partly_paid"],
        "credited_invoice_id": special["credited"],
        "credit_note_id": special["credit_note"],
    }


def seed_demo(emulator, today: dt.date) -> dict:
    """Two client companies, each with its own employee token, and an accounting firm whose
    accountant token reaches both (Basic username = the company's client id)."""
    firm = emulator.add_company(
        "Vidde Regnskap AS",
        org_number("NO", "93155872"),
        email="post@vidderegnskap.example",
        phone="+47 22 00 00 00",
        address_line1="Karl Johans gate 10",
        postal_code="0154",
        city="Oslo",
        accountant=True,
    )
    companies = [
        _company(
            emulator,
            today,
            "Fjordvik Rørlegger AS",
            "92877513",
            "test-employee-fjordvik",
            "Bergen",
            "Kokstadvegen 23",
            "5257",
            FJORDVIK_CUSTOMERS,
            FJORDVIK_INVOICES,
        ),
        _company(
            emulator,
            today,
            "Nordlys Elektro AS",
            "99106240",
            "test-employee-nordlys",
            "Tromsø",
            "Strandvegen 102",
            "9006",
            NORDLYS_CUSTOMERS,
            NORDLYS_INVOICES,
        ),
    ]
    accountant = emulator.add_accountant_token(firm, [c["id"] for c in companies], ACCOUNTANT_TOKEN)
    return {
        "consumer_token": emulator.consumer_token,
        "accountant": {"token": accountant, "company_id": firm, "name": "Vidde Regnskap AS"},
        "companies": companies,
    }


def seed_bulk(emulator, today: dt.date, invoices: int, customers: int | None = None) -> dict:
    """One company with many overdue invoices, for benchmarks (bench/import.py): `invoices`
    invoices spread over `customers` customers (default one per ten invoices), each due 20 to
    379 days before `today`, so the default import filter takes every one. The customers and
    invoices are the fixture factory's (Norwegian). Deterministic."""
    customers = customers or max(invoices // 10, 1)
    company = emulator.add_company(
        "Masse Faktura AS", org_number("NO", "91234560"), address_line1="Storgata 1", city="Oslo"
    )
    token = emulator.add_employee_token(company, "test-employee-bulk")
    people = fixtures.customers("NO", customers)
    customer_ids = [
        emulator.add_customer(
            company,
            c.name,
            organization_number=c.org_number,
            is_private=c.is_private,
            email=c.email,
            invoice_email="" if c.is_private else c.email,
            phone=c.phone,
            address_line1=c.address.street,
            postal_code=c.address.postal_code,
            city=c.address.city,
            country=c.address.country,
            category=CATEGORIES[c.segment],
            customer_number=c.number,
        )
        for c in people
    ]
    ids = {c.number: customer_id for c, customer_id in zip(people, customer_ids, strict=True)}
    for invoice in fixtures.invoices(people, today, invoices):
        emulator.add_invoice(
            company,
            ids[invoice.customer.number],
            invoice.issue_date,
            invoice.due_date,
            invoice.amount,
            invoice.currency,
            invoice.reference,
            invoice.text,
            invoice_number=invoice.number,
        )
    return {
        "consumer_token": emulator.consumer_token,
        "companies": [
            {
                "id": company,
                "employee_token": token,
                "customer_ids": customer_ids,
                "invoices": invoices,
            }
        ],
    }
