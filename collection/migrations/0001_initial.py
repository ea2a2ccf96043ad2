# SyncRun and QuarantinedRecord move from integrations/ to collection/ in Django's state only:
# their tables (integrations_syncrun, integrations_quarantinedrecord) stay as they are, with
# their rows; integrations/migrations/0004 drops them from integrations' state.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0006_money_field'),
        ('creditors', '0005_money_field'),
        ('integrations', '0003_syncrun_skipped_by_reason'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='SyncRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('status', models.CharField(choices=[('running', 'Running'), ('ok', 'Ok'), ('failed', 'Failed')], default='running', max_length=16)),
                        ('as_of', models.DateField()),
                        ('seen', models.PositiveIntegerField(default=0)),
                        ('imported', models.PositiveIntegerField(default=0)),
                        ('cases_opened', models.PositiveIntegerField(default=0)),
                        ('payments', models.PositiveIntegerField(default=0)),
                        ('quarantined', models.PositiveIntegerField(default=0)),
                        ('skipped_by_reason', models.JSONField(blank=True, default=dict)),
                        ('error', models.TextField(blank=True)),
                        ('creditor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='creditors.creditor')),
                    ],
                    options={
                        'db_table': 'integrations_syncrun',
                        'ordering': ['-started_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='QuarantinedRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('invoice', 'Invoice'), ('payment', 'Payment'), ('vanished', 'Vanished')], max_length=16)),
                        ('erp_id', models.CharField(max_length=64)),
                        ('reason', models.TextField()),
                        ('payload', models.TextField(blank=True)),
                        ('first_seen_at', models.DateTimeField(auto_now_add=True)),
                        ('last_seen_at', models.DateTimeField()),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.case')),
                        ('creditor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='creditors.creditor')),
                        ('sync_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='collection.syncrun')),
                    ],
                    options={
                        'db_table': 'integrations_quarantinedrecord',
                        'ordering': ['-last_seen_at', '-pk'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('resolved_at', None)), fields=('creditor', 'kind', 'erp_id'), name='quarantine_one_open_per_record')],
                    },
                ),
            ],
        ),
    ]
