"""A fresh Inexchange emulator per test, seeded with the demo company, served on 127.0.0.1; the
company enrolled with our partner key (as onboarding does)."""

import datetime as dt

import pytest

from integrations.emulation.testing import running
from integrations.inexchange.emulator import InexchangeEmulator, seed_demo
from integrations.inexchange.emulator.seed import DEMO_COMPANY
from integrations.inexchange.enrol import company_enrol

TODAY = dt.date(2026, 11, 25)
ERP_ID = "ac-test-1"


def enrol(url: str, erp_id: str = ERP_ID, org_number: str = DEMO_COMPANY.org_number) -> dict:
    company = {"Name": DEMO_COMPANY.name, "OrgNo": org_number, "Email": DEMO_COMPANY.email}
    return company_enrol(base_url=url, erp_id=erp_id, company=company)


@pytest.fixture
def inexchange():
    with running(InexchangeEmulator(), seed=lambda e: seed_demo(e, TODAY)) as emulator:
        yield emulator


@pytest.fixture
def connection(inexchange):
    return enrol(inexchange.url)
