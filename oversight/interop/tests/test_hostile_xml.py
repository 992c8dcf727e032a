"""XML that attacks the parser is refused before anything in it is read, with a clear reason."""

from __future__ import annotations

from pathlib import Path

from oversight.interop.tests.helpers import read_cin, source

REFUSED = (
    "Refused: the file declares a document type or entities, which a census never has and "
    "which can hide an attack such as billion laughs or an external entity"
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Message [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&lol4;</LAchildID>
</ChildIdentifiers></Child></Children></Message>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&secret;</LAchildID>
</ChildIdentifiers></Child></Children></Message>
"""


def _read(tmp_path: Path, text: str) -> list[tuple[str, str, str]]:
    path = tmp_path / "hostile.xml"
    path.write_text(text)
    children, report = read_cin(source(path))
    assert len(children) == 0  # nothing in the file was read
    return [(p.where, p.field, p.reason.rsplit(" (", 1)[0]) for p in report.problems]


def test_it_refuses_billion_laughs(tmp_path: Path) -> None:
    assert _read(tmp_path, BILLION_LAUGHS) == [("the file", "XML", REFUSED)]


def test_it_refuses_an_external_entity(tmp_path: Path) -> None:
    assert _read(tmp_path, EXTERNAL_ENTITY) == [("the file", "XML", REFUSED)]


def test_it_refuses_xml_that_is_not_well_formed_with_its_line(tmp_path: Path) -> None:
    problems = _read(tmp_path, "<Message>\n<Children>\n<Child></Children>\n</Message>\n")
    assert problems == [
        ("line 3, column 9", "XML", "This is not well-formed XML: mismatched tag: line 3, column 9")
    ]
