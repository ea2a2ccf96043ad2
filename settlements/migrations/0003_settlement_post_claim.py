# Written by hand: a settlement post is claimed (status "posting", attempt count and time)
# and committed before the ERP is called.

from django.db import migrations, models


def count_earlier_posts(apps, schema_editor):
    # A settlement still pending or failed from before may have reached the ERP (a worker died
    # after the call): count one attempt so that its next post asks the ERP first.
    Settlement = apps.get_model("settlements", "Settlement")
    Settlement.objects.filter(status__in=["pending", "failed"]).update(post_attempts=1)


class Migration(migrations.Migration):

    dependencies = [
        ('settlements', '0002_case_engine'),
    ]

    operations = [
        migrations.AddField(
            model_name='settlement',
            name='post_attempts',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='settlement',
            name='post_attempted_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='settlement',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending'), ('posting', 'Posting'), ('posted', 'Posted'), ('not_posted', 'Not Posted'), ('failed', 'Failed')], default='pending', max_length=16),
        ),
        migrations.RunPython(count_earlier_posts, migrations.RunPython.noop),
    ]
