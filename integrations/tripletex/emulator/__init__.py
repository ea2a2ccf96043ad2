"""A Tripletex API v2 emulator on the emulator kit (integrations.emulation), for tests and demos.

    emulator = TripletexEmulator()
    ids = seed_demo(emulator, date.today())
    with serve(emulator) as server:          # http://127.0.0.1:<port>/v2
        TripletexClient(server.url, ids["consumer_token"], ...)

or standalone: `python -m integrations.tripletex.emulator --port 8801 --demo`.

`app` holds the routes, auth check and rendering; `views` the endpoints and the `fields` rules;
`state` and `ledger` the data; `seed` the demo companies.
"""

from integrations.emulation.server import EmulatorServer, serve
from integrations.tripletex.emulator.app import DEFAULT_CONSUMER_TOKEN, TripletexEmulator
from integrations.tripletex.emulator.seed import seed_demo

ServerHandle = EmulatorServer  # the name callers used before the kit

__all__ = [
    "DEFAULT_CONSUMER_TOKEN",
    "ServerHandle",
    "TripletexEmulator",
    "main",
    "seed_demo",
    "serve",
]


def main(argv: list[str] | None = None) -> None:
    """The command line: `python -m integrations.tripletex.emulator [--port N] [--demo]`."""
    import datetime as dt
    import gc

    from integrations.emulation.server import run_cli

    def add_arguments(parser):
        parser.add_argument("--demo", action="store_true", help="seed two demo companies")
        parser.add_argument(
            "--bulk",
            type=int,
            metavar="N",
            help="seed one company with N overdue invoices (bench/import.py)",
        )
        parser.add_argument("--consumer-token", default=DEFAULT_CONSUMER_TOKEN)
        parser.add_argument(
            "--allow-duplicate-vouchers",
            action="store_true",
            help="take a voucher whose external number exists already (Tripletex answers 409)",
        )

    def build(args):
        emulator = TripletexEmulator(
            args.consumer_token, refuse_duplicate_vouchers=not args.allow_duplicate_vouchers
        )
        if args.bulk:
            from integrations.tripletex.emulator.seed import seed_bulk

            seeded = seed_bulk(emulator, dt.date.today(), args.bulk)
            # The seeded records stay to the end: keep the cyclic GC from walking them all
            # again while every page's answer is built.
            gc.freeze()
            del seeded["companies"][0]["customer_ids"]  # the line of JSON stays short
            return emulator, seeded
        return emulator, seed_demo(emulator, dt.date.today()) if args.demo else None

    run_cli(
        argv,
        description="Run the Tripletex API v2 emulator.",
        build=build,
        banner="Tripletex emulator on {url}",
        default_port=8801,
        add_arguments=add_arguments,
    )
