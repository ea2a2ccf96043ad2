"""A Visma.net ERP and Visma Connect emulator on the emulator kit, for tests and the demo.

    emulator = VismaEmulator()
    seeded = seed_demo(emulator, date.today())
    with serve(emulator) as server:      # http://127.0.0.1:<port>  (/connect/token, /v1/...)
        ...

or standalone: `python -m integrations.visma.emulator --port 8802 --demo`.
"""

from integrations.emulation.server import serve
from integrations.visma.emulator.app import VismaEmulator
from integrations.visma.emulator.seed import CLIENT_ID, CLIENT_SECRET, seed_bulk, seed_demo

__all__ = ["CLIENT_ID", "CLIENT_SECRET", "VismaEmulator", "main", "seed_bulk", "seed_demo", "serve"]


def main(argv: list[str] | None = None) -> None:
    import datetime as dt
    import gc

    from integrations.emulation.server import run_cli

    def add_arguments(parser):
        parser.add_argument("--demo", action="store_true", help="seed the two demo companies")
        parser.add_argument("--bulk", type=int, metavar="N", help="one company, N invoices")

    def build(args):
        emulator = VismaEmulator()
        if args.bulk:
            customers = max(args.bulk // 10, 1)  # as the Tripletex bulk seed
            seeded = seed_bulk(emulator, dt.date.today(), args.bulk, customers=customers)
            gc.freeze()
            return emulator, seeded
        return emulator, seed_demo(emulator, dt.date.today()) if args.demo else None

    run_cli(
        argv,
        description="Run the Visma.net ERP emulator.",
        build=build,
        banner="Visma.net emulator on {url}",
        default_port=8802,
        add_arguments=add_arguments,
    )
