import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("creditors", "0008_company_settings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AgreementSignature",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("pdf", models.FileField(upload_to="agreements/%Y/%m/")),
                ("sha256", models.CharField(max_length=64)),
                ("signer_name", models.CharField(max_length=200)),
                ("method", models.CharField(max_length=32)),
                ("reference", models.CharField(blank=True, max_length=200)),
                ("signed_at", models.DateTimeField()),
                (
                    "creditor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="creditors.creditor",
                    ),
                ),
                (
                    "signed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-signed_at", "-pk"]},
        ),
    ]
