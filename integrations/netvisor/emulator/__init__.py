"""A Netvisor XML API emulator on the emulator kit (integrations.emulation), for tests and demos.

    emulator = NetvisorEmulator()
    ids = seed_demo(emulator, date.today())
    with serve(emulator) as server:          # http://127.0.0.1:<port>
        NetvisorClient(server.url, keys)

or standalone: `python -m integrations.netvisor.emulator --port 8804 --demo`.
"""

from integrations.emulation.server import serve
from integrations.netvisor.emulator.app import HTTP_STATUS, NetvisorEmulator
from integrations.netvisor.emulator.seed import seed_demo

__all__ = ["HTTP_STATUS", "NetvisorEmulator", "main", "seed_demo", "serve", "start_demo_emulator"]


def main(argv: list[str] | None = None) -> None:
    import datetime as dt

    from integrations.emulation.server import run_cli

    def add_arguments(parser):
        parser.add_argument("--demo", action="store_true", help="seed the demo company")

    def build(args):
        emulator = NetvisorEmulator()
        return emulator, seed_demo(emulator, dt.date.today()) if args.demo else None

    run_cli(
        argv,
        description="Run the Netvisor XML API emulator.",
        build=build,
        banner="Netvisor emulator on {url}",
        default_port=8804,
        add_arguments=add_arguments,
    )


def start_demo_emulator(port: int, today):
    """The seeded demo emulator served on `port` (a free one if taken): (emulator, seeded,
    server)."""
    emulator = NetvisorEmulator()
    seeded = seed_demo(emulator, today)
    try:
        server = serve(emulator, port=port)
    except (OSError, SystemExit):  # werkzeug exits when the port is taken
        server = serve(emulator, port=0)
    return emulator, seeded, server
