# SyncRun and QuarantinedRecord now belong to collection/ (collection/migrations/0001): gone from
# integrations' state only; their tables and rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('collection', '0001_initial'),
        ('integrations', '0003_syncrun_skipped_by_reason'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='QuarantinedRecord'),
                migrations.DeleteModel(name='SyncRun'),
            ],
        ),
    ]
