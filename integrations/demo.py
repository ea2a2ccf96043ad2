"""The demo's ERP: the Tripletex emulator seeded with the demo companies (an accounting firm whose
one key reaches two client companies). collection.demo onboards them as creditors."""

import datetime as dt

from django.conf import settings

from integrations.tripletex.emulator import (
    DEFAULT_CONSUMER_TOKEN,
    TripletexEmulator,
    seed_demo,
    serve,
)
from nordic.calendar import local_today
from nordic.countries import COUNTRIES


def demo_today() -> dt.date:
    return local_today(COUNTRIES["NO"].time_zone)


def demo_emulator(today: dt.date) -> tuple[TripletexEmulator, dict]:
    """The emulator with the demo companies. Seeding is deterministic, so a fresh one also tells
    `manage.py load_demo` the ids and tokens of the emulator served by another process. It takes
    our partner token from settings, as the real Tripletex knows it."""
    emulator = TripletexEmulator(settings.TRIPLETEX_CONSUMER_TOKEN or DEFAULT_CONSUMER_TOKEN)
    return emulator, seed_demo(emulator, today)


def start_emulator(port: int, today: dt.date):
    """Serve the seeded emulator; falls back to a free port if `port` is taken."""
    emulator, seeded = demo_emulator(today)
    try:
        server = serve(emulator, port=port)
    except (OSError, SystemExit):  # werkzeug exits when the port is taken
        server = serve(emulator, port=0)
    return emulator, seeded, server
