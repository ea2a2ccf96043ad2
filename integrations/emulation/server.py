"""Serving an emulator: a threaded werkzeug server on 127.0.0.1, and the command line.

    with serve(emulator) as server:        # port 0: a free port
        server.url                          # http://127.0.0.1:<port><prefix>

`serve_until_stopped` is what a command (`manage.py run_emulator`, `python -m ...emulator`) runs:
it serves until Ctrl-C or SIGTERM (`docker compose stop`) and then shuts down cleanly.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from collections.abc import Callable

from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class EmulatorServer:
    """A running emulator. `.url` is the API's base (with the emulator's prefix), `.base_url`
    the server's root; `.stop()` (or `.shutdown()`, or leaving the `with`) ends it."""

    def __init__(
        self,
        app,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        fallback: bool = False,
        quiet: bool = True,
    ):
        self.app = app
        handler = _QuietHandler if quiet else WSGIRequestHandler
        try:
            self.server = make_server(host, port, app, threaded=True, request_handler=handler)
        except (OSError, SystemExit):  # werkzeug exits when the port is taken
            if not fallback or port == 0:
                raise
            self.server = make_server(host, 0, app, threaded=True, request_handler=handler)
        self.host, self.port = host, self.server.server_port
        self.base_url = f"http://{host}:{self.port}"
        self.url = self.base_url + getattr(app, "prefix", "")
        self.thread: threading.Thread | None = None

    def start(self) -> EmulatorServer:
        if hasattr(self.app, "resume"):
            self.app.resume()
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"emulator-{self.port}",
            daemon=True,
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        if hasattr(self.app, "release"):
            self.app.release()  # stalled requests (a timeout fault) give up now
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)

    shutdown = stop

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(
    app, host: str = "127.0.0.1", port: int = 0, *, fallback: bool = False, quiet: bool = True
) -> EmulatorServer:
    """Start serving `app` in a background thread; with `fallback`, a taken port gives way to a
    free one."""
    return EmulatorServer(app, host, port, fallback=fallback, quiet=quiet).start()


def serve_until_stopped(
    app,
    host: str,
    port: int,
    *,
    announce: Callable[[str], None],
    fallback: bool = False,
    quiet: bool = True,
) -> None:
    """Serve in the foreground until Ctrl-C or SIGTERM; `announce(url)` once it listens."""
    server = serve(app, host, port, fallback=fallback, quiet=quiet)
    stopped = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    announce(server.url)
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def run_cli(
    argv: list[str] | None,
    *,
    description: str,
    build: Callable,
    banner: str,
    default_port: int = 0,
    add_arguments: Callable | None = None,
) -> None:
    """The command line of an emulator: --host, --port and its own options (`add_arguments`).
    `build(args)` gives (app, seeded); the banner (with {url}) is printed, then `seeded` as one
    line of JSON if there is any, for scripts that read the ids and tokens."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args(argv)
    app, seeded = build(args)

    def announce(url: str) -> None:
        print(banner.format(url=url), flush=True)
        if seeded:
            print(json.dumps(seeded), flush=True)  # ASCII-escaped: safe on any console

    serve_until_stopped(app, args.host, args.port, announce=announce, quiet=False)
