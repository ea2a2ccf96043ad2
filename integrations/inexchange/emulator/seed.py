"""The demo's Inexchange users: a Swedish building firm whose customers are consumers and
businesses, invoiced in SEK by BIS 3 e-invoice (or PDF/paper through Inexchange for consumers).
Deterministic for a given `today`, so another process can tell the ids."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from integrations.inexchange.emulator.app import InexchangeEmulator
from integrations.inexchange.emulator.documents import BisDocument, Line, Party
from nordic.references import se_ocr

DEMO_COMPANY = Party(
    name="Hagström Bygg & Fasad AB",
    street="Sveavägen 44",
    postal_code="11134",
    city="Stockholm",
    org_number="5591234561",
    email="ekonomi@hagstrombygg.example",
)
BANKGIRO = "5050-1055"
CUSTOMERS = (
    Party("Anna Lindqvist", "Storgatan 4", "41301", "Göteborg", email="anna.lindqvist@example.se",
          phone="0701234567", number="K1001"),
    Party("Nordkvist Fastigheter AB", "Kungsgatan 8", "11143", "Stockholm",
          org_number="5560000043", email="faktura@nordkvist.example", number="K1002"),
    Party("Erik Johansson", "Ringvägen 101", "11660", "Stockholm",
          email="erik.johansson@example.se", number="K1003"),
    Party("Björkdalens Förskola AB", "Skolvägen 2", "75236", "Uppsala",
          org_number="5567891238", email="ekonomi@bjorkdalen.example", number="K1004"),
)  # fmt: skip
LINES = (
    (Line("Fasadrenovering, arbete", Decimal(12), Decimal("650.00")),
     Line("Material", Decimal(1), Decimal("2480.00"))),
    (Line("Takinspektion", Decimal(1), Decimal("3200.00")),),
    (Line("Badrumsrenovering, arbete", Decimal(20), Decimal("620.00")),),
    (Line("Byte av fönster", Decimal(6), Decimal("1850.00")),
     Line("Bortforsling", Decimal(1), Decimal("900.00"))),
)  # fmt: skip


def demo_document(n: int, today: dt.date, *, due_days_ago: int, company: Party = DEMO_COMPANY):
    number = str(20260 + n)
    customer = CUSTOMERS[n % len(CUSTOMERS)]
    due = today - dt.timedelta(days=due_days_ago)
    return BisDocument(
        number=number,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        supplier=company,
        customer=customer,
        lines=LINES[n % len(LINES)],
        payment_reference=se_ocr(number),
        bankgiro=BANKGIRO,
        note="Fakturan avser utfört arbete enligt offert",
    )


def seed_demo(emulator: InexchangeEmulator, today: dt.date, *, invoices: int = 6) -> dict:
    """One Inexchange user with `invoices` delivered invoices (all but the last overdue), one
    still pending and one that failed delivery (neither is collected)."""
    c = DEMO_COMPANY
    emulator.add_account(
        c.org_number, c.name, Email=c.email, StreetName=c.street, PostalZone=c.postal_code,
        City=c.city, VatNo=f"SE{c.org_number}01",
    )  # fmt: skip
    ids = []
    for n in range(invoices):
        overdue = 25 + 9 * n if n < invoices - 1 else -10
        document = demo_document(n, today, due_days_ago=overdue)
        ids.append(emulator.add_invoice(c.org_number, document))
    pending = emulator.add_invoice(
        c.org_number, demo_document(invoices, today, due_days_ago=40), status="Pending"
    )
    failed = emulator.add_invoice(
        c.org_number, demo_document(invoices + 1, today, due_days_ago=40), status="Error"
    )
    return {
        "partner_key": emulator.partner_key,
        "company": {"org_number": c.org_number, "name": c.name, "email": c.email},
        "documents": ids,
        "not_delivered": [pending, failed],
    }
