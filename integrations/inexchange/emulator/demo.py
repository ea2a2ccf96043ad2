"""The demo's Inexchange: the emulator seeded with the demo company, served for `make run`."""

from __future__ import annotations

import datetime as dt

from integrations.emulation.server import serve
from integrations.inexchange.emulator.app import InexchangeEmulator
from integrations.inexchange.emulator.seed import seed_demo


def start_demo_emulator(port: int, today: dt.date, partner_key: str):
    """Serve the seeded emulator (taking our partner key, as the real Inexchange knows it); a
    taken port gives way to a free one."""
    emulator = InexchangeEmulator(partner_key)
    seeded = seed_demo(emulator, today)
    return emulator, seeded, serve(emulator, port=port, fallback=True)
