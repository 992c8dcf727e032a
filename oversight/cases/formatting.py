"""What people read of a stored value: every date, time, code and detail a page, a document, a
message or a refusal shows goes through these functions, never printed as stored (nor through a
date format of Python's own: `tests/test_date_formats.py`). Pages use them as the template
filters of `oversight.web.templatetags.oversight` (`{{ d|day }}`); documents and messages call
them directly.

    day(d)            Thursday 3 December 2026 (a date, a datetime or an ISO string)
    short_day(d)      Thu 3 Dec 2026: only for the column of a dense table (the chronology,
                      My caseload, a rota), where the long form would wrap every row, and the
                      refusals and warnings that name a booking as the diary's column does
    sentence_day(d)   Thu 3 December 2026: a day inside a sentence of a refusal or a message
    plain_day(d)      3 December 2026: a day inside a sentence where its weekday says nothing
                      (a date of birth, the start of a plan or of proceedings)
    clock(t)          2pm, 2:30pm, midday, midnight (GOV.UK style; a time or "14:00:00")
    obligation(code)  an obligation code in plain words (cp.visit: "Child protection visit due")
    yes_no(b)         Yes / No
    value(v)          any stored value: a list as words, a date as a day, a code as words
    event_details(data)  a chronology event's details as (label, value) pairs
    nhs_number(n)     999 000 0018
    age(born, today)  "10 years old", "7 months old", "12 days old"
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language

from oversight.cases.constants import (
    CourtApplicant,
    CourtOrder,
    EventType,
    LegalPaper,
    LegalStatus,
    LiaisonWay,
    ProceedingsOutcome,
    Role,
)
from oversight.cases.labels import label_for

# The details of an event that are identifiers for the software, not facts for a person: the
# concern or action an event belongs to is the row it is shown on.
HIDDEN_KEYS = frozenset({"concern", "action", "ladder", "id"})
# Keys of an event's details in words (the rest: the key with its underscores as spaces).
KEY_LABELS = {
    "respond_by": "Response due by",
    "due": "Due by",
    "on": "On",
    "accepted": "Accepted",
    "categories": "Category of harm",
    "category": "Category of harm",
    "visit_interval": "Visits every",
    "applicant": "Applied by",
    "order": "Order sought",
    "meeting": "Meeting",
    "owner": "Owner",
    "time": "Time",
}
_CODE = re.compile(r"[a-z0-9_.]+")
_OBLIGATION_PREFIXES = frozenset({"cp", "lac", "esc", "action", "consult", "booked"})
# Codes with a label of their own: an event type, a role. A room above this one adds its own
# (`labels`: the meetings' kinds and categories of harm, in `oversight.web.templatetags`).
_CODE_LABELS: dict[str, str] = {
    **dict(EventType.choices),
    **dict(Role.choices),
    **dict(LegalStatus.choices),
    **dict(ProceedingsOutcome.choices),
    **dict(LiaisonWay.choices),
    **dict(LegalPaper.choices),
    **dict(CourtApplicant.choices),
    **dict(CourtOrder.choices),
}
NO_LABELS: Mapping[str, str] = {}


def nhs_number(value: str) -> str:
    """An NHS number as people read it: 999 000 0018."""
    digits = (value or "").replace(" ", "")
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def age_on(born: dt.date, when: dt.date) -> int:
    """Whole years of age on `when` (a birthday counts from its own day)."""
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


def age(born: dt.date | None, today: dt.date) -> str:
    """A child's age on `today` as people say it: whole years from the first birthday ("1 year
    old", "10 years old"), whole months before it ("7 months old"), days in the first month ("12
    days old"); "" without a date of birth."""
    if born is None:
        return ""
    years = age_on(born, today)
    if years >= 1:
        return f"{years} year{'s' if years != 1 else ''} old"
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''} old"
    days = (today - born).days
    return f"{days} day{'s' if days != 1 else ''} old"


def _local(moment: dt.datetime) -> dt.datetime:
    """A stored moment in the council's time zone, as the people there read it."""
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return _local(value).date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_time(value: object) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return _local(value).time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and ":" in value and len(value) <= 8:
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            return None
    return None


def day(value: object) -> str:
    """A day as people write it: "Thursday 3 December 2026" ("" for none; any other text as
    it is)."""
    found = _as_date(value)
    if found is None:
        return "" if value in (None, "") else str(value)
    return date_format(found, "l j F Y")


def month(value: object) -> str:
    """A month as people write it: "March 2018" ("" for none; any other text as it is)."""
    found = _as_date(value)
    if found is None:
        return "" if value in (None, "") else str(value)
    return date_format(found, "F Y")


def short_day(value: object) -> str:
    """A day in a dense table's column: "Thu 3 Dec 2026" ("" for none; any other text as it
    is)."""
    found = _as_date(value)
    if found is None:
        return "" if value in (None, "") else str(value)
    return _short_day(found, get_language())


@lru_cache(maxsize=4096)
def _short_day(found: dt.date, language: str | None) -> str:
    """Once per day and language: the tables show the same few hundred dates all day."""
    return date_format(found, "D j M Y")


def sentence_day(value: object) -> str:
    """A day inside a sentence: "Thu 3 December 2026" ("" for none; any other text as it is)."""
    found = _as_date(value)
    if found is None:
        return "" if value in (None, "") else str(value)
    return date_format(found, "D j F Y")


def plain_day(value: object) -> str:
    """A day without its weekday: "3 December 2026" ("" for none; any other text as it is)."""
    found = _as_date(value)
    if found is None:
        return "" if value in (None, "") else str(value)
    return date_format(found, "j F Y")


def clock(value: object) -> str:
    """A time of day in the GOV.UK style: "2pm", "2:30pm", "midday", "midnight"."""
    found = _as_time(value)
    if found is None:
        return "" if value in (None, "") else str(value)
    if found.hour == 12 and found.minute == 0:
        return "midday"
    if found.hour == 0 and found.minute == 0:
        return "midnight"
    hour = found.hour % 12 or 12
    minutes = f":{found.minute:02d}" if found.minute else ""
    return f"{hour}{minutes}{'am' if found.hour < 12 else 'pm'}"


def obligation(code: str) -> str:
    """An obligation code in plain words."""
    return label_for(code) if code else ""


def yes_no(value: object) -> str:
    return "Yes" if value else "No"


def code_words(code: str, labels: Mapping[str, str] = NO_LABELS) -> str:
    """A stored code in words: an event type or role by its label, an obligation by its
    label, else the code with its underscores as spaces ("disagree_threshold": "disagree
    threshold"). Text that is not a code (not lowercase letters, digits, `_` and `.`) as it
    is."""
    if code in labels:
        return str(labels[code])
    if code in _CODE_LABELS:
        return str(_CODE_LABELS[code])
    if not _CODE.fullmatch(code):
        return code
    if code.split(".", 1)[0] in _OBLIGATION_PREFIXES:
        return label_for(code)
    return code.replace("_", " ")


def value(found: object, labels: Mapping[str, str] = NO_LABELS) -> str:
    """Any stored value as a person reads it: yes or no, a day, a time, a list joined with
    commas, a code in words."""
    if isinstance(found, bool):
        return yes_no(found)
    if found is None or found == "":
        return ""
    if isinstance(found, list | tuple):
        return ", ".join(value(item, labels) for item in found)
    if isinstance(found, dict):
        return ", ".join(f"{k.replace('_', ' ')}: {value(v, labels)}" for k, v in found.items())
    if _as_date(found) is not None:
        return day(found)
    if isinstance(found, dt.time) or (isinstance(found, str) and _as_time(found) is not None):
        return clock(found)
    if isinstance(found, str):
        return code_words(found, labels)
    return str(found)


def event_details(
    data: dict[str, Any] | None, labels: Mapping[str, str] = NO_LABELS
) -> list[tuple[str, str]]:
    """The JSON details of a chronology event as (label, value) pairs for a list, each value
    in words (`value`); identifiers of the software (`HIDDEN_KEYS`) left out."""
    if not data:
        return []
    return [
        (
            KEY_LABELS.get(str(key)) or str(key).replace("_", " ").capitalize(),
            value(found, labels),
        )
        for key, found in sorted(data.items())
        if key not in HIDDEN_KEYS and found not in (None, "", [])
    ]
