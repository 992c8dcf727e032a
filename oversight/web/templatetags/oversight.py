"""The one formatting layer of what people read, as template filters (`{% load oversight %}`):
the functions of `oversight.cases.formatting`, and a concern's stage by its name.

    {{ d|day }}  {{ d|short_day }}  {{ t|clock }}  {{ code|obligation }}  {{ b|yes_no }}
    {{ v|value }}  {{ data|event_details }}  {{ n|nhs_number }}
    {{ concern|stage }}   a concern's current stage by its name ("Stage 2: Service manager")
"""

from __future__ import annotations

from django import template

from oversight.cases import formatting
from oversight.escalations.display import concern_stage
from oversight.escalations.models import Concern

register = template.Library()

for _name in (
    "day",
    "short_day",
    "clock",
    "obligation",
    "yes_no",
    "value",
    "event_details",
    "nhs_number",
):
    register.filter(_name, getattr(formatting, _name))

# The chronology's view calls it as a function.
event_details = formatting.event_details


@register.filter
def stage(concern: Concern) -> str:
    """A concern's current stage by its name, as every concern page names it."""
    return concern_stage(concern)
