"""Fewer index entries for each row the nightly import writes (bench/import.py), with every
lookup still served by an index:
- the creditor's own index on cases, invoices and debtors: indexes and unique constraints led
  by the creditor serve it (the case list's, (creditor, erp_id));
- the PostgreSQL-only varchar_pattern_ops twins of the unique case number and payment
  reference (for LIKE 'x%', which nothing asks): unique by constraint instead of unique=True;
- partial where most rows have nothing: the pending-decision index (cases with a deadline,
  the filter asks `decision_deadline IS NOT NULL`), the ledger's payment and invoice, the
  event's actor."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_case_decision_deadline"),
        ("creditors", "0014_membership_phone"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_list_decision_idx",
        ),
        migrations.AlterField(
            model_name="case",
            name="creditor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="creditors.creditor",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="number",
            field=models.CharField(blank=True, max_length=16, null=True),
        ),
        migrations.AlterField(
            model_name="case",
            name="payment_reference",
            field=models.CharField(blank=True, max_length=32, null=True),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="debtor",
            name="creditor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="creditors.creditor",
            ),
        ),
        migrations.AlterField(
            model_name="invoice",
            name="creditor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="creditors.creditor",
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="invoice",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.invoice",
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="payment",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="cases.payment",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("decision_deadline__isnull", False)),
                fields=["creditor", "decision_deadline", "id"],
                name="case_list_decision_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="caseevent",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)),
                fields=["actor"],
                name="event_actor_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                condition=models.Q(("payment__isnull", False)),
                fields=["payment"],
                name="ledger_payment_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                condition=models.Q(("invoice__isnull", False)),
                fields=["invoice"],
                name="ledger_invoice_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(fields=("number",), name="case_unique_number"),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                fields=("payment_reference",), name="case_unique_reference"
            ),
        ),
    ]
