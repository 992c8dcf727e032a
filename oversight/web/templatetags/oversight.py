from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def nhs_number(value: str) -> str:
    """An NHS number as people read it: 999 000 0018."""
    digits = (value or "").replace(" ", "")
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


@register.filter
def event_details(data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The JSON details of a chronology event as (label, value) pairs for a list."""
    if not data:
        return []
    return [
        (str(key).replace("_", " ").capitalize(), str(value).replace("_", " "))
        for key, value in sorted(data.items())
    ]
