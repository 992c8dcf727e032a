"""Free text as people type it: one rule for every form, API body and document.

A control character (U+0000 to U+001F other than tab, line feed and carriage return, U+007F, a
lone surrogate, U+FFFE or U+FFFF) is nothing a person means to write: it arrives pasted from
another program or from a client at fault, PostgreSQL refuses U+0000 in text, and one in a
stored concern made the challenge meeting's Word document fail for everyone (XML cannot hold
it). So every free-text field refuses it with an error under the field (`validate_text`, which
`TextForm` adds to every text field of a form and `CleanText` to every string of an API
body), and what is already stored is written into documents without it (`printable`).

A cell of a CSV file that begins `=`, `+`, `-`, `@`, a tab or a carriage return (what a
spreadsheet reads as a formula) is written after an apostrophe, which shows as text and runs
nothing (`neutralised`, OWASP's advice on CSV injection): the managers' reports and the SSDA903
return write every cell through it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
MESSAGE = (
    "Remove the control character (an invisible character pasted from another program): "
    "only letters, numbers, punctuation, spaces and new lines can be saved"
)


def has_control(value: str) -> bool:
    return CONTROL.search(value) is not None


def validate_text(value: object) -> None:
    """Django validator: refuse a control character."""
    if isinstance(value, str) and has_control(value):
        raise ValidationError(MESSAGE, code="control_character")


def printable(value: str) -> str:
    """`value` without its control characters, for writing what is stored into a document."""
    return CONTROL.sub("", value or "")


def _checked(value: str) -> str:
    if has_control(value):
        raise PydanticCustomError("control_character", MESSAGE)
    return value


# A string of an API body (`oversight.api`): refused with the same message, under its field.
CleanText = Annotated[str, AfterValidator(_checked)]


def guard(fields: Mapping[str, forms.Field]) -> None:
    """Give every text field of a form `validate_text` (once), in place of Django's own refusal
    of U+0000 (which it covers), so that one character gives one error."""
    for field in fields.values():
        if isinstance(field, forms.CharField) and validate_text not in field.validators:
            field.validators[:] = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]
            field.validators.append(validate_text)


class TextForm(forms.Form):
    """A form whose every text field refuses control characters, including the fields its
    `__init__` adds: they are guarded when the form is cleaned."""

    def full_clean(self) -> None:
        guard(self.fields)
        super().full_clean()


def fields_with_control(data: Mapping[str, Any]) -> list[str]:
    """The names of a posted form's values that hold a control character (for input saved
    without a form, such as a meeting's draft)."""
    found = []
    for name in data:
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        if any(isinstance(v, str) and has_control(v) for v in values):
            found.append(name)
    return found


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: object) -> str:
    """`cell` as CSV text (a date as YYYY-MM-DD), with an apostrophe before a start a
    spreadsheet would run."""
    text = "" if cell is None else cell.isoformat() if isinstance(cell, dt.date) else str(cell)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
