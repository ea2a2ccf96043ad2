"""A fresh Tripletex emulator per test, seeded with the demo companies, served on 127.0.0.1."""

import datetime as dt

import pytest

from integrations.tripletex.emulator import TripletexEmulator, seed_demo, serve

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def emulator():
    return TripletexEmulator()


@pytest.fixture
def seeded(emulator):
    return seed_demo(emulator, TODAY)


@pytest.fixture
def server(emulator):
    with serve(emulator) as handle:
        yield handle
