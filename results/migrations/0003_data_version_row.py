from django.db import migrations
from django.utils import timezone


def create_version_row(apps, schema_editor):
    DataVersion = apps.get_model("results", "DataVersion")
    DataVersion.objects.get_or_create(pk=1, defaults={"number": 0, "changed_at": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [("results", "0002_penalties_after_finish_and_data_version")]

    operations = [migrations.RunPython(create_version_row, migrations.RunPython.noop)]
