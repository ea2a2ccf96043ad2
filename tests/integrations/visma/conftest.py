"""A fresh Visma.net emulator per test, seeded with the two Swedish demo companies, served on
127.0.0.1; a Visma.net creditor on it for the database tests."""

import datetime as dt
import itertools

import pytest

from integrations.http import forget_process_state
from integrations.visma.adapter import VismaAdapter
from integrations.visma.client import VismaClient
from integrations.visma.connection import VismaConnection
from integrations.visma.emulator import CLIENT_ID, CLIENT_SECRET, VismaEmulator, seed_demo, serve

TODAY = dt.date(2026, 11, 25)
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_tokens():
    forget_process_state()  # a new emulator, often on a reused port, knows no old token
    yield
    forget_process_state()


@pytest.fixture
def emulator():
    return VismaEmulator()


@pytest.fixture
def seeded(emulator):
    return seed_demo(emulator, TODAY)


@pytest.fixture
def visma(emulator, seeded):
    with serve(emulator) as server:
        emulator.url = server.url
        emulator.seeded = seeded
        yield emulator


@pytest.fixture
def norrsken(seeded):
    return seeded["companies"][0]


def connection(visma, tenant_id: str, **extra) -> dict:
    return {
        "tenant_id": tenant_id,
        "base_url": visma.url,
        "token_url": f"{visma.url}/connect/token",
        **extra,
    }


@pytest.fixture
def adapter(visma, norrsken):
    return VismaAdapter(VismaConnection.from_dict(connection(visma, norrsken["tenant_id"])))


@pytest.fixture
def client(visma, norrsken):
    def make(tenant_id=None, **kw):
        return VismaClient(
            visma.url,
            client_id=kw.pop("client_id", CLIENT_ID),
            client_secret=kw.pop("client_secret", CLIENT_SECRET),
            tenant_id=tenant_id or norrsken["tenant_id"],
            token_url=f"{visma.url}/connect/token",
            **kw,
        )

    return make


@pytest.fixture
def visma_creditor(db, visma, norrsken):
    from creditors.models import AccountSetup, Creditor, ImportFilter

    def make(tenant_id=None, **conn):
        n = next(_seq)
        creditor = Creditor.objects.create(
            legal_name=f"Visma Creditor {n} AB",
            org_number=f"55{n:08d}",
            country="SE",
            currency="SEK",
            time_zone="Europe/Stockholm",
            erp_kind="visma",
            erp_connection=connection(visma, tenant_id or norrsken["tenant_id"], **conn),
            status="active",
            address_line1="Storgatan 12",
            postal_code="90326",
            city="Umeå",
        )
        ImportFilter.objects.create(creditor=creditor, days_after_due=10)
        AccountSetup.objects.create(
            creditor=creditor, receivable_account=1510, clearing_account=1940
        )
        return creditor

    return make
