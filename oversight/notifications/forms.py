"""The inbox's one form: which message to mark read (none named: every one)."""

from __future__ import annotations

from django import forms

from oversight.cases.text import TextForm


class MarkReadForm(TextForm):
    message = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"invalid": "Choose a message from your inbox to mark read"},
    )
