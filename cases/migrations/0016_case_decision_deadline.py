"""The open decision request's deadline stored on its case (cases.engine.write sets and clears
it with the decision), so that the case list's pending-decision filter reads an index range
instead of testing every case of the creditor against the open decisions."""

from django.db import migrations, models

FILL = """UPDATE cases_case SET decision_deadline = (
    SELECT d.deadline FROM cases_decisionrequest d
    WHERE d.case_id = cases_case.id AND d.answer = '')"""


def fill(apps, schema_editor):
    schema_editor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_case_list_sort_idx")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="decision_deadline",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["creditor", "decision_deadline", "id"], name="case_list_decision_idx"
            ),
        ),
    ]
