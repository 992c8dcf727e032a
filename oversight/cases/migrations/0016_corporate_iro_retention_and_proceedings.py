"""Where three branches met: the corporate IRO's role, the retention decisions, and the care
proceedings' event types."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_care_proceedings_and_legal_status"),
        ("cases", "0015_corporate_iro_role"),
        ("cases", "0015_retention_decision"),
    ]

    operations: list[migrations.operations.base.Operation] = []
