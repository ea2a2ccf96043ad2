"""Case.outstanding: what the debtor owes on the case, stored (kept by cases.ledger.entries_post)
for the case list's amount filter and sort, filled here from each case's ledger. The ledger's
covering index for the per-query sums goes: nothing sums the ledger per case in a list now."""

from decimal import Decimal

import django.db.models.functions
from django.db import migrations, models

import creditors.fields

FILL_POSTGRESQL = """UPDATE cases_case AS c SET outstanding = s.total
    FROM (SELECT case_id, SUM(amount) AS total FROM cases_ledgerentry
          WHERE component <> 'overpayment' GROUP BY case_id) AS s
    WHERE c.id = s.case_id AND c.outstanding <> s.total"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_POSTGRESQL)
        return
    Case = apps.get_model("cases", "Case")
    LedgerEntry = apps.get_model("cases", "LedgerEntry")
    money = models.DecimalField(max_digits=14, decimal_places=2)
    owed = (
        LedgerEntry.objects.filter(case=models.OuterRef("pk"))
        .exclude(component="overpayment")
        .values("case")
        .annotate(total=models.Sum("amount"))
        .values("total")
    )
    Case.objects.update(
        outstanding=django.db.models.functions.Round(
            django.db.models.functions.Coalesce(
                models.Subquery(owed, output_field=money), models.Value(Decimal("0.00"))
            ),
            2,
            output_field=money,
        )
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_case_list_opened_idx")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="outstanding",
            field=creditors.fields.MoneyField(
                db_default=Decimal("0.00"), decimal_places=2, default=Decimal("0.00"), max_digits=14
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["creditor", "outstanding", "id"], name="case_list_owed_idx"),
        ),
        migrations.RemoveIndex(model_name="ledgerentry", name="ledger_owed_idx"),
    ]
