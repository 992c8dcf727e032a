"""Convention: every seed section that describes a meeting names the form fields that carry it
(`oversight/meetings/seed_checklist.toml`), and every field named exists on that kind's form."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from oversight.meetings.forms import FORMS

CHECKLIST = Path(__file__).resolve().parent.parent / "seed_checklist.toml"
SECTIONS = [
    (name, row) for name, rows in tomllib.loads(CHECKLIST.read_text()).items() for row in rows
]


def test_it_covers_every_kind_of_meeting_form():
    assert {row["kind"] for _name, row in SECTIONS} == set(FORMS)


@pytest.mark.django_db
@pytest.mark.parametrize(("section", "row"), SECTIONS, ids=[name[:60] for name, _ in SECTIONS])
def test_it_carries_each_seed_section_on_the_form(section, row, settings):
    from oversight.cases.factories import make_child

    # a field only some councils' forms have names the pack it is on (`pack = "walsall"`)
    settings.OVERSIGHT_POLICY = row.get("pack", settings.OVERSIGHT_POLICY)

    if row.get("unborn"):
        child = make_child(date_of_birth=None, expected_date_of_delivery=dt.date(2027, 3, 1))
    else:
        child = make_child()
    form = FORMS[row["kind"]](child=child, today=dt.date(2027, 1, 8), people=[], open_actions=[])
    missing = [name for name in row["fields"] if name not in form.fields]
    assert not missing, f"{section}: {row['kind']} form lacks {missing}"


def test_it_names_each_seed_by_its_council():
    # the seed's number (002) and the pack that carries it (walsall): "002 Walsall …"
    from oversight.policies import list_packs, load_pack

    council_of = {
        source.file[:3]: name.capitalize()
        for name in list_packs()
        for source in load_pack(name).sources.values()
        if source.file[:3].isdigit()
    }
    assert council_of["002"] == "Walsall"
    wrong = [
        section
        for section, _row in SECTIONS
        if section[:3].isdigit() and section.split()[1] != council_of[section[:3]]
    ]
    assert wrong == []
