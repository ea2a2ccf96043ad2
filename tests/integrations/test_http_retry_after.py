"""Retry-After in both forms HTTP gives it (RFC 9110 10.2.3): a number of seconds, or the
HTTP-date to wait until. The HTTP base honours either on a 429 and on a 503; read as seconds
only, a date counted as no answer and the call went again after a short back-off, long before
the ERP's reset (issue 8, item 3)."""

import email.utils
import time

import pytest

from integrations.emulation.testing import running
from integrations.http import RetryPolicy
from integrations.http.client import retry_after
from tests.integrations.http_emulators import Ledger, ledger_client

NOW = 1_790_000_000.0  # a fixed clock for the parsing rows


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        ("0", 0.0),
        (email.utils.formatdate(NOW + 90, usegmt=True), 90.0),
        (email.utils.formatdate(NOW - 90, usegmt=True), 0.0),  # passed already: go now
        ("Sun, 06 Nov 1994 08:49:37 GMT", 0.0),  # RFC 9110's own example, long gone
        ("-5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(header, expected):
    assert retry_after(header, now=lambda: NOW) == expected


@pytest.fixture
def erp():
    with running(Ledger()) as emulator:
        yield emulator


@pytest.mark.parametrize("status", [429, 503])
def test_a_retry_after_date_is_waited_out_on_a_get(erp, status):
    waits = []
    client = ledger_client(erp, retry=RetryPolicy(backoff=0.05, max_wait=60), sleep=waits.append)
    until = email.utils.formatdate(time.time() + 30, usegmt=True)
    erp.faults.answer("/items", status=status, headers={"Retry-After": until}, method="GET")

    items = client.json("GET", "/items", params={"pageNumber": 1, "pageSize": 3})

    assert [i["id"] for i in items] == [1, 2, 3]
    assert [r["status"] for r in erp.requests("/items")] == [status, 200]
    (wait,) = waits
    assert 28 <= wait <= 30  # until the date the ERP named (a whole second's resolution)
