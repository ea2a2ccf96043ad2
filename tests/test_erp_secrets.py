"""ERP credentials are encrypted at rest with keys from the environment (rotatable), never shown,
and the partner-level Tripletex consumer token lives in the settings, not on each creditor."""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from collection.models import SyncRun
from collection.sync import creditor_sync
from creditors.models import AccountingFirm, Creditor
from tests.conftest import TT_TODAY
from tests.onboarding import active_creditor

ROOT = Path(__file__).resolve().parents[1]
KEY_OLD, KEY_NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw_connection(model, pk) -> str:
    """The column as the database holds it, past the field."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT erp_connection FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_column_holds_no_secret_and_the_connection_works_over_http(tripletex, settings):
    employee_token = tripletex.seeded["companies"][0]["employee_token"]
    creditor = active_creditor({"base_url": tripletex.url, "employee_token": employee_token})

    raw = raw_connection(Creditor, creditor.pk)
    assert employee_token not in raw and "employee_token" not in raw
    assert tripletex.url not in raw  # not even the address: the whole object is encrypted
    assert json.loads(Fernet(settings.AUTOCOLLECT_FERNET_KEYS[0]).decrypt(raw.encode())) == {
        "base_url": tripletex.url,
        "employee_token": employee_token,
    }

    # Read back from the database, the connection reaches the ERP: the nightly sync imports.
    creditor = Creditor.objects.get(pk=creditor.pk)
    assert creditor.erp_connection["employee_token"] == employee_token
    run = creditor_sync(creditor=creditor, today=TT_TODAY)
    assert run.status == SyncRun.Status.OK and run.cases_opened > 0
    # The consumer token the ERP got is ours, from the settings; no creditor stores one.
    sessions = tripletex.requests("/token/session/:create")
    assert sessions and {r["query"]["consumerToken"] for r in sessions} == {
        settings.TRIPLETEX_CONSUMER_TOKEN
    }
    assert "consumer_token" not in creditor.erp_connection


@pytest.mark.django_db
def test_round_trip_and_firm_connection_encrypted(make_creditor):
    secret = {"base_url": "https://tripletex.no/v2", "employee_token": "eyJ0b2tlbklkIjo0Mn0=x"}
    firm = AccountingFirm.objects.create(
        name="Vidde Regnskap AS", org_number="NO-1", erp_kind="tripletex", erp_connection=secret
    )
    creditor = make_creditor(erp_connection={**secret, "company_id": 7})
    assert secret["employee_token"] not in raw_connection(AccountingFirm, firm.pk)
    assert secret["employee_token"] not in raw_connection(Creditor, creditor.pk)
    assert AccountingFirm.objects.get(pk=firm.pk).erp_connection == secret
    assert Creditor.objects.get(pk=creditor.pk).erp_connection == {**secret, "company_id": 7}
    # Encrypted with a fresh IV each time: equal secrets give different columns.
    other = make_creditor(erp_connection={**secret, "company_id": 7})
    assert raw_connection(Creditor, other.pk) != raw_connection(Creditor, creditor.pk)


@pytest.mark.django_db
def test_key_rotation_with_two_keys(make_creditor, settings):
    secret = {"base_url": "https://tripletex.no/v2", "employee_token": "rotate-me-123"}
    settings.AUTOCOLLECT_FERNET_KEYS = [KEY_OLD]
    creditor = make_creditor(erp_connection=secret)
    firm = AccountingFirm.objects.create(name="F", org_number="NO-2", erp_connection=secret)
    Fernet(KEY_OLD).decrypt(raw_connection(Creditor, creditor.pk).encode())

    # A new key first, the old one kept: old rows are still read; new writes use the new key.
    settings.AUTOCOLLECT_FERNET_KEYS = [KEY_NEW, KEY_OLD]
    assert Creditor.objects.get(pk=creditor.pk).erp_connection == secret
    call_command("reencrypt_erp_secrets", stdout=open(os.devnull, "w"))  # noqa: SIM115

    # Everything is now under the new key alone: the old key can be dropped.
    for model, pk in ((Creditor, creditor.pk), (AccountingFirm, firm.pk)):
        raw = raw_connection(model, pk).encode()
        assert json.loads(Fernet(KEY_NEW).decrypt(raw)) == secret
        with pytest.raises(InvalidToken):
            Fernet(KEY_OLD).decrypt(raw)
    settings.AUTOCOLLECT_FERNET_KEYS = [KEY_NEW]
    assert Creditor.objects.get(pk=creditor.pk).erp_connection == secret
    assert AccountingFirm.objects.get(pk=firm.pk).erp_connection == secret


@pytest.mark.django_db
def test_admin_never_shows_the_credentials(client, make_creditor, django_user_model):
    token = "employee-token-admin-must-not-show"
    creditor = make_creditor(
        erp_connection={"base_url": "https://tripletex.no/v2", "employee_token": token}
    )
    empty = make_creditor()
    firm = AccountingFirm.objects.create(
        name="Vidde Regnskap AS",
        org_number="NO-3",
        erp_kind="tripletex",
        erp_connection={"employee_token": token},
    )
    staff = django_user_model.objects.create_superuser("support", password="pw-for-tests-1")
    client.force_login(staff)
    pages = {
        "creditor": reverse("admin:creditors_creditor_change", args=[creditor.pk]),
        "creditor list": reverse("admin:creditors_creditor_changelist"),
        "firm": reverse("admin:creditors_accountingfirm_change", args=[firm.pk]),
        "firm list": reverse("admin:creditors_accountingfirm_changelist"),
    }
    for what, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, what
        page = response.content.decode()
        assert token not in page, what
        assert "employee_token" not in page, what
    page = client.get(pages["creditor"]).content.decode()
    assert "ERP connection configured" in page and ">yes<" in page
    page = client.get(reverse("admin:creditors_creditor_change", args=[empty.pk])).content
    assert b">no<" in page

    # Saving the form in the admin keeps the connection (it is not a form field to blank out).
    form = client.get(pages["creditor"]).context["adminform"].form
    assert "erp_connection" not in form.fields


@pytest.mark.django_db
def test_the_data_migration_encrypts_plaintext_rows_and_drops_the_consumer_token(make_creditor):
    """The step of the migration that meets the old rows: plain JSON in the column."""
    import importlib

    migration = importlib.import_module("creditors.migrations.0004_encrypt_erp_connection")
    creditor = make_creditor()
    plain = {"base_url": "https://x/v2", "consumer_token": "partner", "employee_token": "e-123"}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE creditors_creditor SET erp_connection = %s WHERE id = %s",
            [json.dumps(plain), creditor.pk],
        )
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.encrypt_rows(None, editor)
    raw = raw_connection(Creditor, creditor.pk)
    assert "e-123" not in raw and "partner" not in raw
    assert Creditor.objects.get(pk=creditor.pk).erp_connection == {
        "base_url": "https://x/v2",
        "employee_token": "e-123",
    }


def _start(env_extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTOCOLLECT_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "autocollect.settings",
        "DJANGO_SECRET_KEY": Fernet.generate_key().decode() * 2,
        "DJANGO_ALLOWED_HOSTS": "collect.example",
        "AUTOCOLLECT_VAR_DIR": os.environ.get("AUTOCOLLECT_VAR_DIR", str(ROOT / "var")),
        **env_extra,
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "keys",
    [None, "ZGV2LW9ubHktYXV0b2NvbGxlY3QtZXJwLXNlY3JldHM=", "not-a-key"],
    ids=["no-keys", "dev-key", "bad-key"],
)
def test_production_refuses_to_start_without_real_keys(keys):
    started = _start({} if keys is None else {"AUTOCOLLECT_FERNET_KEYS": keys})
    assert started.returncode != 0
    assert "AUTOCOLLECT_FERNET_KEYS" in started.stderr
    assert "not-a-key" not in started.stderr  # a key is never echoed


def test_production_starts_with_real_keys():
    started = _start({"AUTOCOLLECT_FERNET_KEYS": f"{KEY_NEW},{KEY_OLD}"})
    assert started.returncode == 0, started.stderr


def test_an_unreachable_erp_puts_no_token_in_the_logged_traceback(caplog):
    """Tripletex takes its tokens in the session call's query string, and requests' errors name
    the whole URL: a connection refused must not carry them into a log line."""
    import logging
    import socket
    import traceback

    from integrations.errors import ErpUnavailable
    from integrations.tripletex.client import TripletexClient

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now: connection refused
    client = TripletexClient(
        f"http://127.0.0.1:{port}/v2",
        consumer_token="consumer-SECRET-1",
        employee_token="employee-SECRET-2",
        timeout=(1, 0.5),
    )
    with pytest.raises(ErpUnavailable) as raised:
        client.create_session()
    logging.getLogger("integrations.sync").exception("sync failed", exc_info=raised.value)
    text = "".join(traceback.format_exception(raised.value)) + caplog.text
    assert "SECRET" not in text
    assert "token/session" in text  # the call is still named
