# Written by hand: ERP connections are encrypted at rest (a Fernet token in a text column), and
# the Tripletex consumer token, ours for every creditor, leaves the rows for the settings.

import json

import creditors.encryption
from django.db import migrations

TABLES = ("creditors_creditor", "creditors_accountingfirm")


def encrypt_rows(apps, schema_editor):
    # Raw SQL: the column holds plain JSON text until this step, which the field cannot read.
    from creditors.encryption import encrypt_json

    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            name = schema_editor.quote_name(table)
            cursor.execute(f"SELECT id, erp_connection FROM {name}")
            for pk, raw in cursor.fetchall():
                value = json.loads(raw) if raw else {}
                if isinstance(value, dict):
                    value.pop("consumer_token", None)
                cursor.execute(
                    f"UPDATE {name} SET erp_connection = %s WHERE id = %s",
                    [encrypt_json(value), pk],
                )


def decrypt_rows(apps, schema_editor):
    from creditors.encryption import decrypt_json

    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            name = schema_editor.quote_name(table)
            cursor.execute(f"SELECT id, erp_connection FROM {name}")
            for pk, raw in cursor.fetchall():
                value = decrypt_json(raw) if raw else {}
                cursor.execute(
                    f"UPDATE {name} SET erp_connection = %s WHERE id = %s",
                    [json.dumps(value), pk],
                )


class Migration(migrations.Migration):

    dependencies = [
        ('creditors', '0003_firm_client_access_audit'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accountingfirm',
            name='erp_connection',
            field=creditors.encryption.EncryptedJSONField(),
        ),
        migrations.AlterField(
            model_name='creditor',
            name='erp_connection',
            field=creditors.encryption.EncryptedJSONField(),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
