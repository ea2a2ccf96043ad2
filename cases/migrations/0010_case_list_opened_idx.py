from django.db import migrations, models


def trigram_index(apps, schema_editor):
    """PostgreSQL only: a trigram index for the case list's search in debtor names (icontains
    is UPPER(name) LIKE '%...%', which no b-tree serves). Elsewhere nothing to do."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS debtor_name_trgm_idx ON cases_debtor "
        "USING gin (upper(name::text) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS debtor_name_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_case_start_stage")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["creditor", "opened_on", "id"], name="case_list_opened_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                condition=models.Q(("component", "overpayment"), _negated=True),
                fields=["creditor", "case"],
                include=("amount",),
                name="ledger_owed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["creditor", "number"], name="invoice_number_idx"),
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
