"""The Tripletex emulator with the demo companies, on its own: a service of the docker-compose
stack (`manage.py load_demo --erp-url` then onboards the demo against it)."""

from django.core.management.base import BaseCommand

from integrations.demo import demo_emulator, demo_today
from integrations.emulation.server import serve_until_stopped


class Command(BaseCommand):
    help = "Serve the Tripletex API emulator, seeded with the demo companies, until stopped."
    requires_system_checks = []  # it uses no model: starts at once, whatever the app's state

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8801)

    def handle(self, *args, **opts):
        emulator, _ = demo_emulator(demo_today())

        def announce(url: str) -> None:
            self.stdout.write(f"Tripletex emulator: {url}")
            self.stdout.flush()

        # Until Ctrl-C or SIGTERM (`docker compose stop`), then a clean shutdown.
        serve_until_stopped(emulator, opts["host"], opts["port"], announce=announce)
