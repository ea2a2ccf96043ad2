"""An Inexchange API emulator on the emulator kit (integrations.emulation), for tests and demos.

    emulator = InexchangeEmulator()
    seeded = seed_demo(emulator, date.today())
    with serve(emulator) as server:          # http://127.0.0.1:<port>/v1/api
        InexchangePartnerClient(server.url, seeded["partner_key"])

or standalone: `python -m integrations.inexchange.emulator --port 8802 --demo`.
"""

from integrations.emulation.server import serve
from integrations.inexchange.emulator.app import DEFAULT_PARTNER_KEY, InexchangeEmulator
from integrations.inexchange.emulator.seed import seed_demo

__all__ = ["DEFAULT_PARTNER_KEY", "InexchangeEmulator", "main", "seed_demo", "serve"]


def main(argv: list[str] | None = None) -> None:
    import datetime as dt

    from integrations.emulation.server import run_cli

    def add_arguments(parser):
        parser.add_argument("--demo", action="store_true", help="seed the demo company")
        parser.add_argument("--partner-key", default=DEFAULT_PARTNER_KEY)

    def build(args):
        emulator = InexchangeEmulator(args.partner_key)
        return emulator, seed_demo(emulator, dt.date.today()) if args.demo else None

    run_cli(
        argv,
        description="Run the Inexchange API emulator.",
        build=build,
        banner="Inexchange emulator on {url}",
        default_port=8802,
        add_arguments=add_arguments,
    )
