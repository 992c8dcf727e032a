"""Issue 8's initial taxonomy of themes; councils change it in the admin afterwards."""

from django.db import migrations

from oversight.escalations.constants import INITIAL_THEMES


def seed(apps, schema_editor):
    Theme = apps.get_model("escalations", "Theme")
    for order, (code, label) in enumerate(INITIAL_THEMES):
        Theme.objects.get_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("escalations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
