"""Emulators in tests: start one with a seed, get its URL, stop it afterwards.

with running(TripletexEmulator(), seed=lambda e: seed_demo(e, today)) as erp:
    erp.url, erp.seeded                       # the API's base URL, what the seed returned

tripletex = emulator_fixture(TripletexEmulator, seed=lambda e: seed_demo(e, today))
                                              # a pytest fixture, in a conftest or test module
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from integrations.emulation.server import serve


@contextmanager
def running(
    emulator, *, seed: Callable | None = None, host: str = "127.0.0.1", port: int = 0
) -> Iterator:
    """Seed the emulator, serve it over real HTTP, yield it with `.url` and `.seeded` set."""
    seeded = seed(emulator) if seed else None
    with serve(emulator, host, port) as server:
        emulator.url, emulator.seeded = server.url, seeded
        yield emulator


def emulator_fixture(
    factory: Callable,
    *,
    seed: Callable | None = None,
    name: str | None = None,
    scope: str = "function",
):
    """A pytest fixture that yields a fresh, seeded emulator served on 127.0.0.1."""
    import pytest  # only tests use this module

    @pytest.fixture(scope=scope, name=name)
    def fixture():
        with running(factory(), seed=seed) as emulator:
            yield emulator

    return fixture
