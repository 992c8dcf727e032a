"""Convention: on every page, every label points at the one control it names.

A hand-written checkbox whose `id` came out as "None" made every theme label on "Raise a concern"
tick the first box, so the themes on every concern were saved wrong. This walks every page each
persona can open (the same URL discovery as the access convention) and checks the markup a
person's click depends on: ids are unique and real, and each `<label for=…>` names a control."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from oversight.web.tests.test_access_convention import ids, routes, url_for

pytestmark = pytest.mark.django_db

CONTROLS = {"input", "select", "textarea"}
PERSONAS = ["iro", "team_manager", "iro_team_manager", "duty_iro", "administrator", "auditor"]


class Labels(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.controls: set[str] = set()
        self.fors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if (element_id := found.get("id")) is not None:
            self.ids.append(element_id)
            if tag in CONTROLS and found.get("type") != "hidden":
                self.controls.add(element_id)
        if tag == "label" and found.get("for") is not None:
            self.fors.append(str(found["for"]))


def problems(html: str) -> list[str]:
    page = Labels()
    page.feed(html)
    found = []
    seen: set[str] = set()
    for element_id in page.ids:
        if element_id in seen:
            found.append(f"id {element_id!r} is used twice")
        if element_id in {"", "None"}:
            found.append(f"an element has id={element_id!r}")
        seen.add(element_id)
    found += [
        f"label for={name!r} names no control" for name in page.fors if name not in page.controls
    ]
    return found


def test_it_catches_a_label_whose_box_has_no_id() -> None:
    html = (
        '<input type="checkbox" id="None" name="themes" value="a"><label for="None">A</label>'
        '<input type="checkbox" id="None" name="themes" value="b"><label for="None">B</label>'
    )
    assert "id 'None' is used twice" in problems(html)
    assert "an element has id='None'" in problems(html)
    assert problems('<label for="id_x">X</label>') == ["label for='id_x' names no control"]
    assert problems('<label for="id_x">X</label><input id="id_x" name="x">') == []


@pytest.mark.slow
def test_every_label_on_every_page_names_its_own_control(client, council) -> None:
    values = ids(council)
    pages = sorted({url_for(route, values) for route in routes() if not route.startswith("admin/")})
    checked, wrong = [], []
    for persona in PERSONAS:
        client.force_login(getattr(council, persona).user)
        for url in pages:
            if "<" in url or url.endswith((".docx", ".json", ".ics", ".csv")) or "/api/" in url:
                continue
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            checked.append(url)
            wrong += [f"{persona} GET {url}: {p}" for p in problems(response.content.decode())]
    assert wrong == []
    assert f"/children/{council.child.pk}/concerns/new/" in checked  # "Raise a concern"
