"""The Inexchange client over real HTTP to the emulator: the partner key's calls (registration,
client tokens created and revoked per ErpId), the company's calls with its token, paging by
skip/take until totalCount, status history, the ASP.NET 400 as a typed error."""

import pytest
import requests

from integrations.errors import ErpAuthError
from integrations.inexchange.client import (
    InexchangeClient,
    InexchangePartnerClient,
    InexchangeRejected,
)
from integrations.inexchange.emulator import DEFAULT_PARTNER_KEY
from tests.inexchange.conftest import ERP_ID


def partner(url, key=DEFAULT_PARTNER_KEY):
    return InexchangePartnerClient(url, key)


def test_client_token_created_per_erp_id_and_refused_once_revoked(inexchange, connection):
    token = partner(inexchange.url).create_client_token(ERP_ID)
    details = requests.get(f"{inexchange.url}/companies/details", headers={"ClientToken": token})
    assert details.status_code == 200
    assert details.json()["erpId"] == ERP_ID
    assert details.json()["orgNo"] == "5591234561"

    partner(inexchange.url).revoke_client_token(token)
    again = requests.get(f"{inexchange.url}/companies/details", headers={"ClientToken": token})
    assert again.status_code == 401
    assert again.json() == {"message": "Authorization has been denied for this request."}


def test_company_client_makes_its_token_with_the_partner_key_and_heals_a_revoked_one(
    inexchange, connection
):
    client = InexchangeClient(inexchange.url, partner(inexchange.url), ERP_ID)
    made = len(inexchange.requests("/clienttokens/create"))  # enrolling asked once already
    assert client.company_details()["name"] == "Hagström Bygg & Fasad AB"
    assert len(inexchange.requests("/clienttokens/create")) == made + 1
    (token,) = [t for t, v in inexchange.tokens.items() if not v["revoked"]]
    sent = inexchange.requests("/companies/details")[-1]
    assert sent["status"] == 200

    partner(inexchange.url).revoke_client_token(token)
    assert client.company_details()["erpId"] == ERP_ID  # 401, a new token, the same call again
    assert len(inexchange.requests("/clienttokens/create")) == made + 2
    assert [r["status"] for r in inexchange.requests("/companies/details")][-2:] == [401, 200]


def test_partner_calls_need_the_partner_key(inexchange):
    with pytest.raises(ErpAuthError):
        partner(inexchange.url, "not-our-key").create_client_token(ERP_ID)


def test_a_400_is_a_typed_error_with_the_model_state(inexchange):
    with pytest.raises(InexchangeRejected) as caught:
        partner(inexchange.url).register_company({"ErpId": "x-1", "Name": "Utan Orgnr AB"})
    error = caught.value
    assert error.status == 400
    assert error.model_state == {
        "company.OrgNo": ["The OrgNo field is required."],
        "company.CountryCode": ["The CountryCode field is required."],
    }
    assert "The request is invalid." in str(error) and "company.OrgNo" in str(error)


def test_the_outbound_list_pages_by_skip_and_take_until_total_count(inexchange, connection):
    client = InexchangeClient(inexchange.url, partner(inexchange.url), ERP_ID, page_size=3)
    pages = list(client.outbound_pages())
    assert [len(p) for p in pages] == [3, 3, 2]  # 8 documents, no empty page asked for
    lists = inexchange.requests("/documents/outbound/list")
    assert [r["request_text"] for r in lists] == [
        '{"skip": 0, "take": 3}',
        '{"skip": 3, "take": 3}',
        '{"skip": 6, "take": 3}',
    ]
    ids = [d["id"] for page in pages for d in page]
    assert len(set(ids)) == 8


def test_document_status_and_its_history(inexchange, connection):
    client = InexchangeClient(inexchange.url, partner(inexchange.url), ERP_ID)
    document = inexchange.seeded["documents"][0]
    inexchange.set_status(document, "Sent")
    status = client.document_status(document)
    assert status["id"] == document
    assert [h["status"] for h in status["statusHistory"]] == ["Pending", "Delivered", "Sent"]
    assert status["currentStatus"]["status"] == "Sent"
    by_post = requests.post(
        f"{inexchange.url}/invoices/outbound/{document}",
        json={"includeFileInfo": False},
        headers={"ClientToken": partner(inexchange.url).create_client_token(ERP_ID)},
    )
    assert by_post.json() == status  # the method is unconfirmed: both are served
