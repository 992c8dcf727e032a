"""The one formatting layer of what people read, as template filters (`{% load oversight %}`):
the functions of `oversight.cases.formatting`, and a concern's stage by its name.

    {{ d|day }}  {{ d|month }}  {{ d|short_day }}  {{ t|clock }}  {{ code|obligation }}  {{ b|yes_no }}
    {{ v|value }}  {{ data|event_details }}  {{ n|nhs_number }}
    {{ code|outcome:meeting.kind }}  a meeting's outcome in words ("Child protection plan")
    {{ concern|stage }}   a concern's current stage by its name ("Stage 2: Service manager")
    {{ field|anchor }}    the id an error summary links to for a field drawn by crispy-forms-gds
    {{ m.body|message_body }}  a message's text with its lines, its links to Oversight followed
"""

from __future__ import annotations

import re
from typing import Any

from django import forms, template
from django.conf import settings
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from oversight.cases import formatting
from oversight.escalations.display import concern_stage
from oversight.escalations.models import Concern
from oversight.meetings.constants import CATEGORIES, Kind
from oversight.meetings.forms import OUTCOME_LABELS

register = template.Library()

for _name in ("day", "month", "short_day", "clock", "obligation", "yes_no", "nhs_number"):
    register.filter(_name, getattr(formatting, _name))

# The codes of the rooms above `cases` that a stored value may hold: a kind of meeting ("icpc":
# "Initial child protection conference"), a category of harm ("neglect": "Neglect").
LABELS: dict[str, str] = {**dict(Kind.choices), **dict(CATEGORIES)}


@register.filter
def value(found: object) -> str:
    """`formatting.value`, knowing the meetings' codes (the meeting record's view calls it as a
    function)."""
    return formatting.value(found, LABELS)


@register.filter
def event_details(data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """`formatting.event_details`, knowing the meetings' codes (the chronology's view calls it
    as a function)."""
    return formatting.event_details(data, LABELS)


@register.filter
def outcome(code: object, kind: str) -> str:
    """A meeting's outcome code in words, as the form of its `kind` offers it ("plan": "Child
    protection plan"); any other value through `value`."""
    return OUTCOME_LABELS.get(kind, {}).get(str(code)) or value(code)


@register.filter
def stage(concern: Concern) -> str:
    """A concern's current stage by its name, as every concern page names it."""
    return concern_stage(concern)


@register.filter
def anchor(field: BoundField) -> str:
    """The id of the control an error summary links to, for a field drawn by crispy-forms-gds:
    a group of radios or checkboxes by its first box (`id_<name>_1`, the pack's numbering),
    anything else by its own id."""
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{field.html_name}_1"
    return str(field.id_for_label or field.auto_id)


# A page's path after the base address: never a second "/" or a backslash, which a browser
# would read as another server's address.
_PATH = r"(/(?![/\\])[\w\-.~/?#=&%+]*)"
# What may end a link written inside a sentence without being part of it.
_AFTER_LINK = ".,;:)"


@register.filter
def message_body(body: str) -> SafeString:
    """A message's text as the inbox shows it: its lines kept, and each link to a page of
    Oversight that an email carries (`oversight.notifications.rules.link`) one the reader can
    follow, to the page on the server they are signed in to. Everything else is text, escaped:
    a link anywhere else stays words."""
    base = settings.OVERSIGHT_BASE_URL.rstrip("/")
    parts, start = [], 0
    for found in re.finditer(re.escape(base) + _PATH, body):
        path = found.group(1).rstrip(_AFTER_LINK)
        parts.append(_lines(body[start : found.start()]))
        parts.append(format_html('<a class="govuk-link" href="{}">{}{}</a>', path, base, path))
        start = found.start() + len(base) + len(path)
    parts.append(_lines(body[start:]))
    return format_html_join("", "{}", ((part,) for part in parts))


def _lines(text: str) -> SafeString:
    """`text` escaped, each line break a `<br>`."""
    lines = text.replace("\r\n", "\n").split("\n")
    return format_html_join(SafeString("<br>"), "{}", ((line,) for line in lines))
