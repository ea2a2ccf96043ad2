"""The demo's Visma.net: the emulator seeded with the two Swedish demo companies, served beside
the Tripletex one. collection.visma_demo onboards Norrsken Bygg AB from it as a creditor."""

from __future__ import annotations

import datetime as dt

from integrations.visma.emulator import VismaEmulator, seed_demo, serve


def demo_emulator(today: dt.date) -> tuple[VismaEmulator, dict]:
    """Deterministic: a fresh one tells another process the tenant ids of one served elsewhere."""
    emulator = VismaEmulator()
    return emulator, seed_demo(emulator, today)


def start_visma_emulator(port: int, today: dt.date):
    """Serve the seeded emulator; a taken port gives way to a free one."""
    emulator, seeded = demo_emulator(today)
    try:
        server = serve(emulator, port=port)
    except (OSError, SystemExit):  # werkzeug exits when the port is taken
        server = serve(emulator, port=0)
    return emulator, seeded, server


def connection(url: str, tenant_id: str) -> dict:
    """The stored connection of a demo company: the emulator plays Visma Connect too."""
    return {"tenant_id": tenant_id, "base_url": url, "token_url": f"{url}/connect/token"}
