from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_message")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="start_stage",
            field=models.CharField(blank=True, db_default="", default="", max_length=16),
        ),
    ]
