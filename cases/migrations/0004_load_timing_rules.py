from django.db import migrations


def load(apps, schema_editor):
    from cases.rules import load_rule_tables

    load_rule_tables(apps.get_model("cases", "RuleValue"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_engine")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
