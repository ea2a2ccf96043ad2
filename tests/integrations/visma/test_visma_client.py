"""The Visma.net client over real HTTP to the emulator: Visma Connect tokens per tenant (fetched,
cached, renewed), the customer-tenant pitfall, paging by pageNumber/pageSize against
metadata.totalCount, the error body and the rate limit."""

import time

import pytest

from integrations.errors import ErpNotFound, ErpRateLimited, ErpRejected
from integrations.http import RetryPolicy
from integrations.visma.client import VismaCredentialsRefused, VismaTenantRefused
from integrations.visma.emulator import VismaEmulator, seed_demo, serve
from tests.integrations.visma.conftest import TODAY


def tokens(visma):
    return [r for r in visma.requests("/connect/token") if r["status"] == 200]


def test_a_token_per_tenant_is_fetched_once_and_sent_as_bearer(visma, client, seeded):
    first, second = (c["tenant_id"] for c in seeded["companies"])
    a = client(first)
    assert a.company_settings()["name"] == "Norrsken Bygg AB"
    a.company_settings()
    client(first).company_settings()  # another client for the same tenant: the cached token
    assert len(tokens(visma)) == 1
    assert client(second).company_settings()["name"] == "Vättern Konsult AB"
    assert len(tokens(visma)) == 2  # one token per company tenant
    form = visma.requests("/connect/token")[0]["request_text"]
    assert "grant_type=client_credentials" in form and f"tenant_id={first}" in form
    assert "vismanet_erp_service_api%3Aread" in form


def test_a_token_is_renewed_shortly_before_it_expires():
    emulator = VismaEmulator(expires_in=2)
    seeded = seed_demo(emulator, TODAY)
    with serve(emulator) as server:
        from integrations.visma.client import VismaClient

        client = VismaClient(
            server.url,
            client_id=seeded["client_id"],
            client_secret=seeded["client_secret"],
            tenant_id=seeded["companies"][0]["tenant_id"],
            token_url=f"{server.url}/connect/token",
        )
        client.company_settings()
        time.sleep(1.9)  # within the leeway (a tenth of 2 s) before expiry: a new token first
        client.company_settings()
        statuses = [(r["path"], r["status"]) for r in emulator.log]
    assert statuses == [
        ("/connect/token", 200),
        ("/v1/companysettings", 200),
        ("/connect/token", 200),
        ("/v1/companysettings", 200),
    ]


def test_a_refused_token_is_renewed_once_on_401(visma, client):
    c = client()
    c.company_settings()
    visma.expire_tokens()  # Visma forgot it: the next call answers 401
    assert c.company_settings()["name"] == "Norrsken Bygg AB"
    assert [r["status"] for r in visma.requests("/v1/companysettings")] == [200, 401, 200]
    assert len(tokens(visma)) == 2


def test_the_customer_tenant_id_gets_a_message_naming_the_company_tenant_id(visma, client, seeded):
    c = client(seeded["customer_tenant_id"])
    with pytest.raises(VismaTenantRefused) as err:
        c.company_settings()
    message = str(err.value)
    assert seeded["customer_tenant_id"] in message
    assert "Company tenant id, not the Customer tenant id" in message
    assert "Visma Admin > Company > Configuration > Tenant id" in message
    # Connect gave a token; the API refused it; no endless renewal.
    assert [r["status"] for r in visma.log] == [200, 401]


def test_unknown_client_credentials_say_so(visma, client):
    with pytest.raises(VismaCredentialsRefused, match="invalid_client"):
        client(client_secret="wrong").company_settings()


def test_a_tenant_not_granted_to_us_is_refused_by_connect(visma, client):
    with pytest.raises(VismaCredentialsRefused, match="granted AutoCollect access"):
        client("11111111-2222-4333-8444-555555555555").company_settings()


def test_listing_pages_by_number_until_the_total_count(visma, client, norrsken):
    rows = list(client(page_size=3).list_open_invoices(TODAY))
    listed = [r["referenceNumber"] for r in rows]
    assert listed == [*norrsken["open_invoices"], norrsken["excluded_invoice"]]
    pages = visma.requests("/v1/customerinvoice")
    assert [r["query"]["pageNumber"] for r in pages] == ["1", "2", "3"]
    assert all(r["query"]["pageSize"] == "3" for r in pages)
    assert pages[0]["query"]["status"] == "Open"
    assert pages[0]["query"]["documentDueDateCondition"] == "<"
    assert rows[0]["metadata"]["totalCount"] == len(listed)


def test_a_page_size_over_the_maximum_is_capped_and_the_count_still_ends_the_list(
    visma, client, monkeypatch
):
    from integrations.visma.emulator import app

    monkeypatch.setattr(app, "MAX_PAGE_SIZE", 4)  # Visma caps; our 500 gives pages of 4
    rows = list(client().list_open_invoices(TODAY))
    assert len(rows) == 9  # a short page (4 < 500) did not end the listing
    assert len(visma.requests("/v1/customerinvoice")) == 3


def test_page_number_and_size_are_mandatory(visma, client):
    with pytest.raises(ErpRejected, match="mandatory to use the parameters pageSize"):
        client().json("GET", "/v1/customerinvoice")


def test_an_error_body_becomes_a_typed_error_with_its_message(visma, client):
    with pytest.raises(ErpNotFound) as err:
        client().get_invoice("999999")
    assert "Invoice with number 999999 not found (NotFoundException)" in str(err.value)
    assert err.value.status == 404


def test_rate_limit_headers_on_every_answer_and_429_waits_retry_after(visma, client):
    c = client()
    c.company_settings()
    headers = visma.log[-1]
    assert headers["status"] == 200
    visma.faults.rate_limited("/v1/companysettings", retry_after=1)
    started = time.monotonic()
    c.company_settings()
    assert time.monotonic() - started >= 1
    assert [r["status"] for r in visma.requests("/v1/companysettings")] == [200, 429, 200]


def test_a_429_longer_than_we_wait_raises_with_the_wait(visma, client):
    visma.faults.rate_limited("/v1/companysettings", retry_after=600)
    with pytest.raises(ErpRateLimited) as err:
        client(retry=RetryPolicy(max_wait=5)).company_settings()
    assert err.value.retry_after == 600


def test_the_rate_limit_of_the_emulator_answers_429_with_the_visma_headers(seeded):
    import requests

    emulator = VismaEmulator(rate_limit=2, rate_period=30)
    seed_demo(emulator, TODAY)
    with serve(emulator) as server:
        from integrations.visma.emulator.seed import CLIENT_ID, CLIENT_SECRET, NORRSKEN

        token = requests.post(
            f"{server.url}/connect/token",
            data={
                "grant_type": "client_credentials",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "tenant_id": NORRSKEN,
            },
            timeout=5,
        ).json()["access_token"]
        answers = [
            requests.get(
                f"{server.url}/v1/companysettings",
                headers={"Authorization": f"Bearer {token}"},
                timeout=5,
            )
            for _ in range(3)
        ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["X-RateLimit-Limit"] == "2"
    assert answers[0].headers["X-RateLimit-Remaining"] == "1"
    assert int(answers[2].headers["Retry-After"]) > 0
    assert answers[2].json()["message"].startswith("Rate limit exceeded")
