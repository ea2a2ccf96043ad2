"""The HTTP base's retries, rate limit and log line, over real HTTP against a tiny ERP built with
the emulator kit: a 429 waits what the ERP says and is tried again (a write too: refused is not
done, so it is never dropped), a 5xx or a timeout is tried again only for a safe call, and the
client spaces its calls per ERP tenant before the ERP has to refuse them."""

import logging
import time

import pytest

from integrations.emulation.testing import running
from integrations.errors import ErpRateLimited, ErpUnavailable
from integrations.http import RateLimit, RetryPolicy
from tests.integrations.http_emulators import Ledger, ledger_client

PAGE = {"pageNumber": 1, "pageSize": 3}


@pytest.fixture
def erp():
    with running(Ledger()) as emulator:
        yield emulator


def statuses(erp, method=None):
    return [r["status"] for r in erp.requests("/items") if method in (None, r["method"])]


def test_429_on_a_get_waits_retry_after_and_completes_in_the_same_call(erp):
    client = ledger_client(erp)
    erp.faults.rate_limited("/items", retry_after=1, method="GET")
    started = time.monotonic()
    assert [i["id"] for i in client.json("GET", "/items", params=PAGE)] == [1, 2, 3]
    assert time.monotonic() - started >= 1.0  # waited what the ERP said
    assert statuses(erp) == [429, 200]


def test_429_on_a_write_is_waited_out_and_retried_never_dropped(erp):
    client = ledger_client(erp)
    erp.faults.rate_limited("/items", retry_after=1, method="POST", times=2)
    created = client.json("POST", "/items", json={"name": "case 2026-0001"})
    assert statuses(erp, "POST") == [429, 429, 201]
    assert [i["name"] for i in erp.items if i["id"] == created["id"]] == ["case 2026-0001"]
    assert len(erp.items) == 8  # booked once


def test_a_write_still_refused_after_the_in_process_tries_goes_back_to_the_task(erp):
    client = ledger_client(erp, retry=RetryPolicy(attempts=2, max_wait=5))
    erp.faults.rate_limited("/items", retry_after=1, method="POST", times=2)
    with pytest.raises(ErpRateLimited) as err:
        client.json("POST", "/items", json={"name": "case 2026-0002"})
    # Not done, and the error says how long to wait: the task retries it then (collection.tasks
    # retries a rate-limited task as long as it takes).
    assert err.value.retry_after == 1 and err.value.retryable
    assert len(erp.items) == 7
    client.json("POST", "/items", json={"name": "case 2026-0002"})  # the task's retry
    assert [i["name"] for i in erp.items].count("case 2026-0002") == 1


def test_5xx_and_timeouts_on_a_get_are_retried_with_backoff(erp):
    client = ledger_client(erp, timeout=(2, 0.3))
    erp.faults.server_error("/items", status=503, times=2)
    assert len(client.json("GET", "/items", params=PAGE)) == 3
    assert statuses(erp) == [503, 503, 200]
    erp.faults.timeout("/items", seconds=1)
    erp.faults.drop("/items")
    assert len(client.json("GET", "/items", params=PAGE)) == 3


def test_5xx_or_timeout_on_a_write_is_not_repeated_in_process(erp):
    client = ledger_client(erp, timeout=(2, 0.3))
    erp.faults.server_error("/items", status=503, method="POST")
    with pytest.raises(ErpUnavailable, match="503"):
        client.json("POST", "/items", json={"name": "maybe booked"})
    erp.faults.timeout("/items", method="POST", seconds=1)
    with pytest.raises(ErpUnavailable, match="timed out"):
        client.json("POST", "/items", json={"name": "booked late"})
    time.sleep(1)  # the stalled write lands after the client gave up: it must not come twice
    assert statuses(erp, "POST") == [503, 201]
    assert [i["name"] for i in erp.items].count("booked late") == 1
    # A call marked idempotent (a PUT of the same state) may be repeated.
    erp.faults.server_error("/items", status=502, method="POST")
    client.json("POST", "/items", json={"name": "same state"}, idempotent=True)
    assert statuses(erp, "POST")[-2:] == [502, 201]


def test_the_rate_limit_spaces_calls_per_tenant(erp):
    limit = RateLimit(per_second=10, burst=1)
    one, same_tenant = ledger_client(erp, rate_limit=limit), ledger_client(erp, rate_limit=limit)
    other_tenant = ledger_client(erp, tenant="tenant-2", rate_limit=limit)
    for client in (one, other_tenant):
        client.json("GET", "/items", params=PAGE)  # tokens fetched, each bucket spent
    started = time.monotonic()
    for client in (one, same_tenant) * 3:
        client.json("GET", "/items", params=PAGE)
    spaced = time.monotonic() - started
    assert spaced >= 0.45  # six calls of one tenant from two clients, 0.1 s apart
    started = time.monotonic()
    other_tenant.json("GET", "/items", params=PAGE)  # its own bucket has refilled meanwhile
    assert time.monotonic() - started < 0.09
    assert 429 not in statuses(erp)


def test_one_log_line_per_call_with_no_secret(erp, caplog):
    client = ledger_client(erp)
    with caplog.at_level(logging.INFO, logger="integrations.http"):
        client.json("GET", "/items", params={**PAGE, "apiKey": "s3cr3t"})
    lines = [r.getMessage() for r in caplog.records if r.name == "integrations.http"]
    assert len(lines) == 2  # the token call and the call
    assert lines[0].startswith("erp POST /v1/connect/token -> 200 in ")
    assert lines[1].startswith("erp GET /items -> 200 in ") and lines[1].endswith(" ms")
    assert not any("s3cr3t" in line or "secret" in line for line in lines)
