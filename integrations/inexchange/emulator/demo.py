"""The demo's Inexchange: the emulator seeded with the demo company, served for `make run`, and
a second Inexchange user who has not switched on "Påminnelse & Inkasso" yet: a person tries the
activation from the Store page (STORE_DEMO) through the signed hand-off to the portal."""

from __future__ import annotations

import datetime as dt

from integrations.emulation.server import serve
from integrations.inexchange.emulator.app import InexchangeEmulator
from integrations.inexchange.emulator.seed import seed_demo

STORE_DEMO = {
    "org_no": "5567891204",
    "name": "Lindgrens Måleri AB",
    "Email": "info@lindgrensmaleri.example",
    "StreetName": "Drottninggatan 12",
    "PostalZone": "41114",
    "City": "Göteborg",
}


def start_demo_emulator(
    port: int, today: dt.date, partner_key: str, *, handoff_url: str = "", secret: str = ""
):
    """Serve the seeded emulator (taking our partner key, as the real Inexchange knows it); a
    taken port gives way to a free one. With a hand-off URL and secret its Store sends the
    STORE_DEMO company's activation there."""
    emulator = InexchangeEmulator(partner_key)
    seeded = seed_demo(emulator, today)
    store = dict(STORE_DEMO)
    emulator.add_account(store.pop("org_no"), store.pop("name"), **store)
    if handoff_url and secret:
        emulator.store_configure(handoff_url=handoff_url, secret=secret)
    return emulator, seeded, serve(emulator, port=port, fallback=True)
