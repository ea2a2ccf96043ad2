"""`make run`: the Tripletex emulator, the demo tenants, a first sync, the pipeline, the portal."""

import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import get_internal_wsgi_application, run

from collection.demo import load_demo
from collection.inexchange_demo import DEMO_PARTNER_KEY, USER, load_inexchange_demo
from collection.management.commands.load_demo import first_run
from collection.netvisor_demo import USER as NETVISOR_USER
from collection.netvisor_demo import load_netvisor_demo
from collection.tasks import advance_due_cases, sync_due_creditors
from collection.visma_demo import USER as VISMA_USER
from collection.visma_demo import load_visma_demo
from integrations.demo import demo_today, start_emulator
from integrations.inexchange.emulator.demo import STORE_DEMO, start_demo_emulator
from integrations.netvisor.emulator import start_demo_emulator as start_netvisor_emulator
from integrations.visma.demo import start_visma_emulator


class Command(BaseCommand):
    help = "Run the demo: ERP emulator, demo data, first sync, pipeline and portal in one process."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--erp-port", type=int, default=8801)
        parser.add_argument("--inexchange-port", type=int, default=8802)
        parser.add_argument("--netvisor-port", type=int, default=8804)
        parser.add_argument("--visma-port", type=int, default=8803)
        parser.add_argument("--tick", type=int, default=60, help="pipeline interval, seconds")
        parser.add_argument("--no-serve", action="store_true", help="set up, sync and exit")

    def handle(self, *args, **opts):
        # Links written into the ERP point at this portal.
        settings.AUTOCOLLECT_PORTAL_URL = f"http://{opts['host']}:{opts['port']}"
        today = demo_today()
        _, seeded, server = start_emulator(opts["erp_port"], today)
        self.stdout.write(f"Tripletex emulator: {server.url}")
        # The Inexchange demo creditor (Swedish, SEK): its own emulator, our partner key.
        inx, inx_seeded, inx_server = start_demo_emulator(
            opts["inexchange_port"], today, settings.INEXCHANGE_PARTNER_API_KEY,
            handoff_url=f"{settings.AUTOCOLLECT_PORTAL_URL}/onboarding/inexchange/",
            secret=settings.INEXCHANGE_HANDOFF_SECRET,
        )  # fmt: skip
        inx.url = inx_server.url
        settings.INEXCHANGE_BASE_URL = inx_server.url  # the Store's hand-off reads it there
        self.stdout.write(f"Inexchange emulator: {inx_server.url}")
        self.stdout.write(
            f"  its Store, to try the activation: {inx.store_url}?org_no={STORE_DEMO['org_no']}"
        )
        # The Netvisor demo creditor (Finnish, EUR): an accounting firm's API user reaches it.
        nv, nv_seeded, nv_server = start_netvisor_emulator(opts["netvisor_port"], today)
        self.stdout.write(f"Netvisor emulator: {nv_server.url}")
        # Its Store sends a Netvisor user to this portal's activation (collection.
        # netvisor_activation); our integration user reads the company there.
        nv.url = nv_server.url
        nv.store_configure(
            handoff_url=f"{settings.AUTOCOLLECT_PORTAL_URL}/netvisor/store/",
            secret=settings.NETVISOR_HANDOFF_SECRET,
            integration_user=settings.NETVISOR_STORE_CUSTOMER_ID,
        )
        settings.NETVISOR_BASE_URL = nv_server.url
        self.stdout.write(
            "  its Store, to try the activation (not 22:00-05:00 Finnish time): "
            f"{nv.store_url(nv_seeded['store']['person']['email'])}"
        )
        # The Visma.net demo creditor (Swedish, SEK): Visma.net and Visma Connect emulated.
        _, visma_seeded, visma_server = start_visma_emulator(opts["visma_port"], today)
        self.stdout.write(f"Visma.net emulator: {visma_server.url}")
        # The registration from Visma Home signs in through the emulator's Visma Connect.
        settings.VISMA_CONNECT_URL = settings.VISMA_API_URL = visma_server.url
        self.stdout.write(
            f"  its Visma Home link, to try the registration: "
            f"{settings.AUTOCOLLECT_PORTAL_URL}/onboarding/visma/"
        )
        creditors = load_demo(erp_url=server.url, seeded=seeded)
        creditors.append(load_inexchange_demo(erp_url=inx_server.url, seeded=inx_seeded))
        creditors.append(load_netvisor_demo(erp_url=nv_server.url, seeded=nv_seeded, today=today))
        creditors.append(load_visma_demo(erp_url=visma_server.url, seeded=visma_seeded))
        first_run(self, creditors, today)
        self.stdout.write(
            f"  user {USER!r}: creditor admin of the Inexchange demo creditor (Swedish, SEK); "
            f"Inexchange calls /api/partner/v1/ with Partner-Key {DEMO_PARTNER_KEY}"
        )
        self.stdout.write(
            f"  user {NETVISOR_USER!r}: creditor admin of the Netvisor demo creditor "
            "(Finnish, EUR, Finnish letters)"
        )
        self.stdout.write(
            f"  user {VISMA_USER!r}: creditor admin of the Visma.net demo creditor (Swedish, SEK)"
        )
        url = f"http://{opts['host']}:{opts['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nAutoCollect portal: {url}"))
        if opts["no_serve"]:
            server.shutdown()
            inx_server.shutdown()
            nv_server.shutdown()
            visma_server.shutdown()
            return
        threading.Thread(target=self._pipeline, args=(opts["tick"],), daemon=True).start()
        self.stdout.write(f"Pipeline runs every {opts['tick']}s. Ctrl-C stops everything.\n")
        try:
            run(opts["host"], opts["port"], get_internal_wsgi_application(), threading=True)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            inx_server.shutdown()
            nv_server.shutdown()
            visma_server.shutdown()

    def _pipeline(self, tick: int) -> None:
        """What Celery beat does on the real stack: nightly syncs when due, and due case steps."""
        while True:
            time.sleep(tick)
            try:
                sync_due_creditors.delay()
                advance_due_cases.delay()
            except Exception as exc:  # keep the demo alive; the error is logged and shown
                self.stderr.write(f"pipeline tick failed: {exc}")
