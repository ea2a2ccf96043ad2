"""The API's OpenAPI schema: drf-spectacular validates it with warnings as failures (in a
subprocess, as CI and a developer run it), and schemathesis sends requests generated from it to
every operation of the app (over WSGI, authenticated with a creditor's API key, on one creditor
with a case, so the requests reach the views rather than stopping at a 404): no server error. The
partner API (Inexchange's calls) is authenticated with a partner's key instead, on the same case
enrolled through that partner, and must be seen answering from its views (2xx or 400)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collection.inexchange_partners import partner_company_enrol, partner_create
from creditors.apikeys import api_key_create

ROOT = Path(__file__).resolve().parents[1]


def test_spectacular_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    env = {**os.environ, "AUTOCOLLECT_DEV_MODE": "1"}
    env.pop("DATABASE_URL", None)  # the schema needs no database
    done = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn",
         "--file", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    schema = out.read_text()
    endpoints = ("/assignments/", "/api-keys/", "/auth/token/", "/letters/{letter_id}.pdf",
                 "/erp-customers/")  # fmt: skip
    for endpoint in endpoints:
        assert endpoint in schema


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The WSGI handler closes "old" connections at each request's start and end, and inside the
    test's transaction (autocommit off) PostgreSQL's counts as old: keep it open, as Django's
    test client does for its own requests."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("wsgi_keeps_the_test_connection")
def test_schemathesis_finds_no_server_error(make_creditor, make_user, make_case):
    creditor = make_creditor(country="SE")
    admin = make_user(creditor, role="admin")
    case = make_case(creditor)
    _, key = api_key_create(creditor=creditor, actor=admin, name="fuzz", role="admin")
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) > 30
    headers = {"Authorization": f"Api-Key {key}"}
    partner, partner_key = partner_create(name="Inexchange", slug="inexchange")
    partner_company_enrol(partner=partner, creditor=creditor, erp_id="ac-fuzz")
    document_id = case.invoices.get().erp_id
    partner_headers = {"Authorization": f"Partner-Key {partner_key}"}
    partner_answers: dict[str, set[int]] = {}
    failures = []

    for operation in operations:

        @settings(
            max_examples=6,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case_=operation.as_strategy(), own=st.booleans())
        def call(case_, own):
            params = case_.path_parameters or {}
            if "creditor_id" in params:  # our creditor: the request reaches the view
                params["creditor_id"] = creditor.pk
            if "number" in params and own:
                params["number"] = case.number
            is_partner = case_.operation.path.startswith("/api/partner/")
            if is_partner and own:  # the enrolled company's invoice in collection
                params["erp_id"], params["document_id"] = "ac-fuzz", document_id
            response = case_.call(headers=partner_headers if is_partner else headers)
            if is_partner:
                partner_answers.setdefault(case_.operation.label, set()).add(response.status_code)
            if response.status_code >= 500:
                failures.append((case_.operation.label, case_.body, response.status_code))

        call()

    assert failures == []
    assert len(partner_answers) == 3  # case, payments, credit notes
    for label, statuses in partner_answers.items():  # authenticated, reaching the view
        assert 401 not in statuses and statuses & {200, 201, 400}, (label, statuses)
