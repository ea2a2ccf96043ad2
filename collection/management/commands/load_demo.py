"""Onboard the demo against a running Tripletex emulator: the one-shot `demo` service of the
docker-compose stack. `make run` does the same in one process (run_demo)."""

import time

import requests
from django.core.management.base import BaseCommand, CommandError

from collection.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
from collection.sync import creditor_sync
from collection.tasks import advance_due_cases
from integrations.demo import demo_emulator, demo_today
from integrations.errors import ErpError


class Command(BaseCommand):
    help = "Load the demo creditors and users from a running emulator, sync them and send letters."

    def add_arguments(self, parser):
        parser.add_argument("--erp-url", required=True, help="the emulator's API, ending in /v2")
        parser.add_argument("--wait", type=float, default=60, help="seconds to wait for the ERP")

    def handle(self, *args, **opts):
        url = opts["erp_url"].rstrip("/")
        _wait_for(url, opts["wait"])
        today = demo_today()
        # The emulator was seeded the same way: a fresh seed gives its ids and tokens.
        _, seeded = demo_emulator(today)
        first_run(self, load_demo(erp_url=url, seeded=seeded), today)


def first_run(command: BaseCommand, creditors, today) -> None:
    """A first sync of each demo creditor and its first letters, then the logins."""
    for creditor in creditors:
        try:
            sync_run = creditor_sync(creditor=creditor, today=today)
            command.stdout.write(
                f"Synced {creditor}: {sync_run.imported} invoices imported, "
                f"{sync_run.cases_opened} cases opened"
            )
        except ErpError as exc:
            command.stderr.write(f"Sync of {creditor} failed: {exc}")
    command.stdout.write(f"Letters sent: {advance_due_cases()}")
    for name, what in DEMO_USERS.items():
        command.stdout.write(f"  user {name!r} / password {DEMO_PASSWORD!r}  ({what})")


def _wait_for(url: str, seconds: float) -> None:
    """The emulator may still be starting (compose starts both at once): any HTTP answer will do."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError as exc:
            if time.monotonic() > deadline:
                raise CommandError(f"No ERP answers at {url}: {exc}") from exc
            time.sleep(0.5)
