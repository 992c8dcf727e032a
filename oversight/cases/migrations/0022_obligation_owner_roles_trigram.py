"""On PostgreSQL a trigram index of the obligations' owner roles (`pg_trgm`, a trusted extension
since PostgreSQL 13, so the database's owner may create it): "mine to act on" for a role
(`owner_roles LIKE '%|service_manager|%'`, `oversight.cases.access.caseload_scope`) then reads
the few obligations that role owes, where a manager's My caseload read every obligation of the
thousands of children of their line to find them (issue 12's benchmark: 165,000 rows of 5,127
children for 189). The planner keeps the child's index where the role is a common one (an IRO's
seventy children). On SQLite the caseloads are small and nothing is made."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS obligation_owner_roles_trigram
    ON cases_obligation USING gin (owner_roles gin_trgm_ops);
"""

DROP = "DROP INDEX IF EXISTS obligation_owner_roles_trigram;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0021_visits_set_or_asked_for_and_court_applications")]

    operations = [migrations.RunPython(forwards, backwards)]
