"""The HTTP base's auth strategies and paging, each over real HTTP against a tiny ERP built with
the emulator kit (tests/integrations/http_emulators.py): OAuth2 client credentials with a token
cached until it expires, Netvisor's MAC over the final URL (and the published test vector),
paging by page number and by continuation, and an error inside a 200 body."""

import datetime as dt
import time

import pytest

from integrations.emulation.testing import running
from integrations.errors import ErpAuthError, ErpConflict, ErpRejected
from integrations.http import (
    ContinuationPaging,
    PageNumberPaging,
    SignedHeaderAuth,
    after_last_key,
)
from integrations.netvisor.auth import NetvisorKeys, NetvisorSigner
from tests.integrations.http_emulators import (
    KEYS,
    MAC_HEADER,
    Ledger,
    Nv,
    NvClient,
    failed,
    form_of,
    invoice_rows,
    ledger_client,
)

# --- OAuth2 client credentials ----------------------------------------------------------------


def statuses(erp, path=""):
    return [r["status"] for r in erp.requests(path)]


def test_oauth2_token_is_cached_until_it_expires_then_renewed():
    with running(Ledger(expires_in=1)) as erp:
        first = ledger_client(erp)
        first.json("GET", "/items", params={"pageNumber": 1, "pageSize": 5})
        first.json("GET", "/items", params={"pageNumber": 2, "pageSize": 5})
        # Another client (each task builds its own) for the same credentials: the same token.
        ledger_client(erp).json("GET", "/items", params={"pageNumber": 1, "pageSize": 5})
        assert len(erp.requests("/connect/token")) == 1
        form = form_of(erp.requests("/connect/token")[0])
        assert form["tenant_id"] == "tenant-1" and form["scope"] == "items:read items:write"

        time.sleep(1.0)  # the token's hour (here: second) is over
        first.json("GET", "/items", params={"pageNumber": 1, "pageSize": 5})
        assert len(erp.requests("/connect/token")) == 2
        assert 401 not in statuses(erp)  # renewed before it ran out, not after a refusal
        # One token per company: another tenant gets its own.
        ledger_client(erp, tenant="tenant-2").json(
            "GET", "/items", params={"pageNumber": 1, "pageSize": 5}
        )
        assert form_of(erp.requests("/connect/token")[-1])["tenant_id"] == "tenant-2"


def test_oauth2_token_revoked_early_is_renewed_once_and_bad_secrets_are_refused():
    with running(Ledger()) as erp:
        client = ledger_client(erp)
        client.json("GET", "/items", params={"pageNumber": 1, "pageSize": 5})
        erp.faults.expired_token("/items")
        client.json("GET", "/items", params={"pageNumber": 1, "pageSize": 5})
        assert statuses(erp, "/items") == [200, 401, 200]
        assert len(erp.requests("/connect/token")) == 2

        with pytest.raises(ErpAuthError, match="invalid_client"):
            ledger_client(erp, secret="wrong").json("GET", "/items")
        assert statuses(erp)[-1] == 401  # the token call refused: no item call, no loop


def test_page_number_paging_reads_every_page_once():
    with running(Ledger(items=7)) as erp:
        client = ledger_client(erp)
        pages = list(
            client.iter_pages("/items", {}, paging=PageNumberPaging(size=3), rows=lambda b: b)
        )
    assert [[i["id"] for i in page] for page in pages] == [[1, 2, 3], [4, 5, 6], [7]]
    assert [r["query"]["pageNumber"] for r in erp.requests("/items")] == ["1", "2", "3"]


# --- Netvisor's MAC -----------------------------------------------------------------------------

# The inputs of Heltti/netvisor-api-client tests/test_auth.py::test_hmacsha256_headers_and_mac
# (commit dd1d7d3, MIT licence): sender "Testiclient", customer id/key "customerid"/"customerkey",
# partner key "partnerkey", organisation "orgid", language FI, URL
# https://integrationdemo.netvisor.fi, 2024-01-01 12:00:00 UTC (Unix 1704110400), with the
# transaction id "123456" of its older MD5 test. The digest is HMAC-SHA256 over those fields
# per erp-apis.md 3.2, computed once and kept here.
VECTOR_KEYS = NetvisorKeys(
    sender="Testiclient",
    customer_id="customerid",
    customer_key="customerkey",
    partner_id="xxx_yyy",
    partner_key="partnerkey",
    organisation_id="orgid",
    language="FI",
)
VECTOR_MAC = "09e41ddcb3b83e5fde80f799aaca5c9fefd33db2a15b43bae704b830dd3f5600"


def test_mac_header_matches_the_published_vector():
    signer = NetvisorSigner(
        VECTOR_KEYS,
        now=lambda: dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC),
        new_transaction_id=lambda: "123456",
    )
    headers = signer("POST", "https://integrationdemo.netvisor.fi")
    assert headers[MAC_HEADER] == VECTOR_MAC
    assert headers["X-Netvisor-Authentication-Timestamp"] == "2024-01-01 12:00:00.000"
    assert headers["X-Netvisor-Authentication-TimestampUnix"] == "1704110400"
    assert headers["X-Netvisor-Authentication-MACHashCalculationAlgorithm"] == "HMACSHA256"


def nv_client(erp, keys=KEYS, **kw) -> NvClient:
    return NvClient(erp.url, auth=SignedHeaderAuth(NetvisorSigner(keys)), **kw)


def test_mac_is_computed_over_the_final_url_and_anew_for_each_try():
    with running(Nv()) as erp:
        client = nv_client(erp)
        root = client.json("GET", "/salesinvoicelist.nv", params={"invoicestatus": "open"})
        assert [r["NetvisorKey"] for r in invoice_rows(root)] == [1, 2, 3]
        # A 503 then a retry: the retry is signed with a new transaction id, so it is taken.
        erp.faults.server_error("/salesinvoicelist.nv", status=503)
        client.json("GET", "/salesinvoicelist.nv", params={"invoicestatus": "open"})
        assert [r["status"] for r in erp.requests()] == [200, 503, 200]
        assert len(erp.transactions) == 2


def test_an_error_inside_a_200_body_raises_the_typed_error():
    with running(Nv()) as erp:
        wrong = NetvisorKeys(**{**KEYS.__dict__, "customer_key": "stolen"})
        with pytest.raises(ErpAuthError, match="AUTHENTICATION_FAILED: MAC does not match") as err:
            nv_client(erp, wrong).json("GET", "/salesinvoicelist.nv")
        assert err.value.status == 200
        erp.fail_next("salesinvoicelist", status=200, raw=failed("INVALID_DATA", "bad status"))
        with pytest.raises(ErpRejected, match="INVALID_DATA: bad status"):
            nv_client(erp).json("GET", "/salesinvoicelist.nv")
        erp.fail_next("salesinvoicelist", status=200, raw=failed("DUPLICATE_DATA", "exists"))
        with pytest.raises(ErpConflict):
            nv_client(erp).json("GET", "/salesinvoicelist.nv")
    # A sentence for a person; the envelope itself stays in the error's detail.
    assert str(err.value) == (
        "netvisor: GET /salesinvoicelist.nv failed: AUTHENTICATION_FAILED: MAC does not match"
    )


def test_continuation_paging_reads_above_the_last_key():
    with running(Nv(invoices=8)) as erp:
        paging = ContinuationPaging(
            "invoicesabovenetvisorkey", after_last_key("NetvisorKey"), size=Nv.page_size
        )
        pages = list(
            nv_client(erp).iter_pages(
                "/salesinvoicelist.nv", {"invoicestatus": "open"}, paging=paging, rows=invoice_rows
            )
        )
        asked = [r["query"].get("invoicesabovenetvisorkey") for r in erp.requests()]
    assert [[r["NetvisorKey"] for r in page] for page in pages] == [[1, 2, 3], [4, 5, 6], [7, 8]]
    assert asked == [None, "3", "6"]  # the short third page is the last: no fourth call
