"""The case list sorted by debtor name reads debtors in name order, joined to the creditor's
cases until a page is full (bench/case_list.py: a page at 100 000 cases in under a millisecond
of SQL instead of sorting every debtor)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_debtor_language")]

    operations = [
        migrations.AddIndex(
            model_name="debtor",
            index=models.Index(fields=["name", "id"], name="debtor_name_idx"),
        ),
    ]
