"""The migration that keeps who provides a placement as its SSDA903 code (`place_provider`):
a placement imported before kept only the code's words as its provider."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from oversight.cases.constants import EventType
from oversight.cases.factories import make_child, record_event

pytestmark = pytest.mark.django_db


def test_the_migration_gives_an_imported_placement_the_code_of_its_words():
    migration = importlib.import_module("oversight.cases.migrations.0020_placement_provider_codes")
    child = make_child()
    monday = dt.date(2026, 11, 2)  # Mon 2 November 2026
    record_event(child, EventType.LAC_START, monday)
    imported = record_event(
        child, EventType.PLACEMENT_START, monday, place="U6", provider="Private provision"
    )
    named = record_event(  # a carer named in the pages is no code: left as it is
        child, EventType.PLACEMENT_CHANGE, dt.date(2026, 11, 9), provider="Aunt"
    )
    migration.codes_of_the_words(apps, None)
    imported.refresh_from_db()
    named.refresh_from_db()
    assert imported.data == {
        "place": "U6",
        "provider": "Private provision",
        "place_provider": "PR4",
    }
    assert named.data == {"provider": "Aunt"}
