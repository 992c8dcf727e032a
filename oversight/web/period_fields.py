"""The days of a period a person filters by (the audit search, the reports): a date field bounded
to the years a record can hold. A day outside them (9999-12-31, 0001-01-01) finds nothing, and
would overflow the "before the next midnight" of a search, so it is refused on its field."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

PERIOD_DAYS = [
    MinValueValidator(dt.date(2000, 1, 1), "Enter a date in 2000 or later"),
    MaxValueValidator(dt.date(2099, 12, 31), "Enter a date before 2100"),
]


def period_day(label: str) -> forms.DateField:
    """An optional day of a period, typed in the browser's date input."""
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=PERIOD_DAYS,
    )
