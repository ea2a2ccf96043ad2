"""The case list sorted by stage, status or next action reads an index in order and stops after
a page (bench/case_list.py at 100 000 cases: a top-N sort over every case of the creditor
before)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_ledgerentry_params")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["creditor", "stage", "id"], name="case_list_stage_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["creditor", "status", "id"], name="case_list_status_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["creditor", "next_action_on", "id"], name="case_list_next_idx"
            ),
        ),
    ]
