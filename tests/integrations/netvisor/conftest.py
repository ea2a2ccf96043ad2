"""A seeded Netvisor emulator per test, served on 127.0.0.1."""

import pytest
from netvisor_helpers import TODAY

from integrations.emulation.testing import running
from integrations.http import forget_process_state
from integrations.netvisor.emulator import NetvisorEmulator, seed_demo


@pytest.fixture
def netvisor():
    forget_process_state()
    with running(NetvisorEmulator(), seed=lambda e: seed_demo(e, TODAY)) as erp:
        yield erp
