"""Visma.net's call budget as its answers state it (X-RateLimit-Remaining/Reset on every answer,
counted by Visma.net for all our processes together): once it says nothing is left, the client
makes no call until the reset (waiting when it is near, else refusing at once with the wait, for
the task to come back), so bulk work stops at the budget instead of running into 429s."""

import time

import pytest

from integrations.errors import ErpRateLimited
from integrations.http import RateLimit
from integrations.visma.client import VismaClient
from integrations.visma.emulator import CLIENT_ID, CLIENT_SECRET, VismaEmulator, seed_demo, serve
from tests.integrations.visma.conftest import TODAY

UNTHROTTLED = RateLimit(per_second=1000, burst=1000)  # our own bucket out of the way


def budgeted(limit: int, period: float):
    emulator = VismaEmulator(rate_limit=limit, rate_period=period)
    seeded = seed_demo(emulator, TODAY)
    return emulator, seeded["companies"][0]["tenant_id"]


def make_client(server, tenant_id) -> VismaClient:
    return VismaClient(
        server.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=tenant_id,
        token_url=f"{server.url}/connect/token",
        rate_limit=UNTHROTTLED,
    )


def statuses(emulator) -> list[int]:
    return [r["status"] for r in emulator.requests("/v1/companysettings")]


def test_a_spent_budget_is_not_called_until_its_reset_far_off():
    emulator, tenant = budgeted(limit=4, period=300)
    with serve(emulator) as server:
        client = make_client(server, tenant)
        spent = 0
        with pytest.raises(ErpRateLimited) as err:
            for _ in range(10):
                client.company_settings()
                spent += 1
        # Another task in the process (a new client) is held back as well, without a call.
        with pytest.raises(ErpRateLimited):
            make_client(server, tenant).company_settings()
    assert 0 < spent <= 4
    assert 200 < err.value.retry_after <= 301  # the reset Visma.net named: the task's countdown
    assert 429 not in statuses(emulator) and len(statuses(emulator)) == spent


def test_a_budget_reset_near_is_waited_for_in_process():
    emulator, tenant = budgeted(limit=3, period=2)
    with serve(emulator) as server:
        client = make_client(server, tenant)
        started = time.monotonic()
        for _ in range(6):
            client.company_settings()
        took = time.monotonic() - started
    assert statuses(emulator) == [200] * 6  # every call answered, none refused with 429
    assert took >= 1
