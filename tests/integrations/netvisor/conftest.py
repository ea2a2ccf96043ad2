"""A seeded Netvisor emulator per test, served on 127.0.0.1, and a Finnish creditor on it."""

import pytest
from netvisor_helpers import TODAY, connection_for

from integrations.emulation.testing import running
from integrations.http import forget_process_state
from integrations.netvisor.emulator import NetvisorEmulator, seed_demo


@pytest.fixture
def netvisor():
    forget_process_state()
    with running(NetvisorEmulator(), seed=lambda e: seed_demo(e, TODAY)) as erp:
        yield erp


@pytest.fixture
def creditor(netvisor, make_creditor):
    creditor = make_creditor(
        "Saimaan Sähkö Oy", country="FI", erp_connection=connection_for(netvisor)
    )
    creditor.erp_kind = "netvisor"
    creditor.save(update_fields=["erp_kind"])
    return creditor
