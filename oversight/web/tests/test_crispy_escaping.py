"""A field's label and hint are escaped as any other value of a page: crispy-forms-gds marks them
`|safe`, and a label may hold a person's name (the booking form's "<chair>'s free slots") or a
pack's words; the project's copies of its templates (`web/templates/gds/`) escape them."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe

from oversight.meetings.forms import BookingForm

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


class Typed(forms.Form):
    """One field of each shape the templates draw: an input, radios, checkboxes."""

    name = forms.CharField(label=f"Name {SCRIPT}", help_text=f"Hint {SCRIPT}")
    choice = forms.ChoiceField(
        label=f"Choice {SCRIPT}",
        help_text=f"Hint {SCRIPT}",
        choices=[("a", "A")],
        widget=forms.RadioSelect,
    )
    ticks = forms.MultipleChoiceField(
        label=f"Ticks {SCRIPT}",
        help_text=f"Hint {SCRIPT}",
        choices=[("a", "A")],
        widget=forms.CheckboxSelectMultiple,
    )
    marked = forms.CharField(label="Marked", help_text=mark_safe("<strong>Bold</strong>"))


def rendered(form: forms.Form, *fields: str) -> str:
    source = "{% load crispy_forms_tags %}" + "".join(
        f"{{{{ form.{name}|as_crispy_field }}}}" for name in fields
    )
    return Template(source).render(Context({"form": form}))


def test_it_escapes_each_fields_label_and_hint():
    html = rendered(Typed(), "name", "choice", "ticks")
    assert SCRIPT not in html
    assert html.count(ESCAPED) == 6  # three labels and three hints, each escaped


def test_it_keeps_a_hint_marked_safe_where_it_is_made():
    assert "<strong>Bold</strong>" in rendered(Typed(), "marked")


@pytest.mark.django_db
def test_it_escapes_a_chairs_name_in_the_booking_forms_label(council):
    form = BookingForm(
        child=council.child, today=dt.date(2027, 1, 8), people=[], chair_name=f"Ann {SCRIPT}"
    )
    html = rendered(form, "slot")
    assert SCRIPT not in html
    assert f"Ann {ESCAPED}&#x27;s free slots" in html
