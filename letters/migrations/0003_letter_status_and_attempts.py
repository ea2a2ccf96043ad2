# Letters are pending until their PDF is on file; only a letter with its PDF is sent.

from django.db import migrations, models


def mark_rendered_sent(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    Letter.objects.exclude(file="").exclude(sha256="").filter(rendered_at__isnull=False).update(
        status="sent"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_case_engine"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="last_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="letter",
            name="last_error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="letter",
            name="render_attempts",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="letter",
            name="status",
            field=models.CharField(
                choices=[("pending", "Pending"), ("sent", "Sent")], default="pending", max_length=8
            ),
        ),
        migrations.RunPython(mark_rendered_sent, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["created_at"],
                name="letter_pending_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "pending"),
                    models.Q(
                        ("rendered_at__isnull", False),
                        ("status", "sent"),
                        models.Q(("file", ""), _negated=True),
                        models.Q(("sha256", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="letter_sent_has_pdf",
            ),
        ),
    ]
