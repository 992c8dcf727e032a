"""Conventions of what people and programs type in, over every form class and API body schema of
the project (found by walking the code, so that a new one is held to them too):

- every free-text field of a form refuses control characters (`oversight.cases.text.TextForm`),
  including the fields a form's `__init__` adds, and so does every string of an API body
  (`CleanText`);
- every text field that fills a model column has that column's length as its limit, so that a
  value too long is an error under the field, not a server error on PostgreSQL (or a value
  stored whole on SQLite)."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
import typing
from typing import Any

import annotated_types
import pytest
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from ninja import Schema

import oversight
from oversight.api.models import ApiToken
from oversight.audit.models import AuditEntry
from oversight.cases.models import (
    AccessGrant,
    Allocation,
    Child,
    Cover,
    DutyRota,
    Event,
    RetentionReview,
)
from oversight.cases.text import TextForm, _checked, validate_text
from oversight.complaints.models import Complaint
from oversight.escalations.models import Concern, ConcernAction, Notice, Response, Step
from oversight.fostering.models import Carer, CarerConcern, CarerReview, ConcernStep
from oversight.meetings.models import DipSampleJudgement, Document, Meeting
from oversight.reports.figures import Period

pytestmark = pytest.mark.django_db

mon_1_mar_2027 = dt.date(2027, 3, 1)


def _project_modules() -> None:
    for found in pkgutil.walk_packages(oversight.__path__, "oversight."):
        parts = found.name.split(".")
        if "tests" in parts or "migrations" in parts or parts[-1] in {"wsgi", "cli"}:
            continue
        importlib.import_module(found.name)


def _subclasses(base: type) -> list[type]:
    found: list[type] = []
    todo: list[type] = [base]
    while todo:
        subs: list[type] = todo.pop().__subclasses__()
        for sub in subs:
            todo.append(sub)
            if sub.__module__.startswith("oversight.") and ".tests" not in sub.__module__:
                found.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def form_classes() -> list[type[forms.BaseForm]]:
    _project_modules()
    return [
        c for c in _subclasses(forms.BaseForm) if c is not TextForm and ".admin" not in c.__module__
    ]


def schemas() -> list[type[Schema]]:
    _project_modules()
    return [c for c in _subclasses(Schema) if c.__name__.endswith("In")]


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# What each form's __init__ needs (the values do not matter here).
KWARGS: dict[str, dict[str, Any]] = {
    "oversight.escalations.forms.RaiseForm": {"ladders": [], "overdue": []},
    "oversight.escalations.forms.NoticeForm": {"stages": [], "managers": set()},
    "oversight.escalations.forms.ReferralForm": {"managers": set()},
    "oversight.cases.forms.EventForm": {
        "child": None, "today": mon_1_mar_2027, "periods": [], "people": [], "open_actions": [],
        "proceedings": [], "visit_minimum": lambda day: None,
    },
    "oversight.web.views_access.OpenRecordForm": {"purposes": []},
    "oversight.web.views_reports.ReportFilterForm": {
        "default": Period(dt.date(2027, 2, 1), dt.date(2027, 2, 28)),
    },
    "oversight.web.views_reports.AnnexForm": {"default": dt.date(2027, 2, 28)},
    "oversight.cases.forms.RetentionDecisionForm": {
        "reviews": [], "min_chars": 10, "next_review_on": mon_1_mar_2027,
    },
    "oversight.complaints.forms.ComplaintForm": {"conferences": []},
    "oversight.fostering.forms.ReviewForm": {"chairs": []},
    "oversight.fostering.forms.CarerForm": {"adding": True, "social_workers": []},
}  # fmt: skip
ABSTRACT = {"oversight.meetings.forms.MeetingForm"}  # the base of the meeting records

# The models whose columns each form or body fills (by the field's name; the rows of actions
# "action_2_text" fill the column "text"). A form that fills none: ().
COLUMNS: dict[str, tuple[type[models.Model], ...]] = {
    "oversight.escalations.forms.RaiseForm": (Concern, ConcernAction),
    "oversight.escalations.forms.RespondForm": (Response, ConcernAction),
    "oversight.escalations.forms.NoticeForm": (Notice, Step),
    "oversight.escalations.forms.ExtendForm": (Notice, Step),
    "oversight.escalations.forms.StageMeetingForm": (Step,),
    "oversight.escalations.forms.OutcomeForm": (Concern, Step),
    "oversight.escalations.forms.ReferralForm": (Step,),
    "oversight.cases.forms.EventForm": (),  # the event's details are JSON
    "oversight.cases.forms.ReasonForm": (AuditEntry,),
    "oversight.web.views_allocation.AllocateForm": (Allocation,),
    "oversight.web.views_allocation.DutyForm": (DutyRota,),
    "oversight.web.views_allocation.CoverForm": (Cover,),
    "oversight.web.views_access.OpenRecordForm": (Child, AccessGrant),
    "oversight.web.views_audit.AuditSearchForm": (),  # a search: it fills nothing
    "oversight.web.views_reports.ReportFilterForm": (),  # a filter: it fills nothing
    "oversight.cases.forms.ChildSearchForm": (),  # a search: it fills nothing
    "oversight.notifications.forms.MarkReadForm": (),  # marks read: it fills no text column
    "oversight.web.views_reports.AnnexForm": (),  # a filter: it fills nothing
    "oversight.meetings.forms.DocumentForm": (Document,),
    "oversight.meetings.forms.DipJudgementForm": (DipSampleJudgement,),
    "oversight.api.concerns.ActionIn": (ConcernAction,),
    "oversight.api.concerns.RaiseIn": (Concern,),
    "oversight.api.concerns.RespondIn": (Response,),
    "oversight.api.concerns.NoticeIn": (Notice, Step),
    "oversight.api.concerns.ResolveIn": (Concern,),
    "oversight.api.children.ChildIn": (Child,),
    "oversight.api.children.AllocationIn": (),  # a username (the user's column) and reasons
    "oversight.api.meetings.MeetingIn": (Meeting,),  # its values are the form's, checked there
    "oversight.api.children.EventDetailsIn": (Event,),  # beyond date and time: JSON details
    "oversight.api.children.EventIn": (Event,),  # beyond type, date and time: JSON details
    "oversight.api.children.EventChangeIn": (Event,),  # its reason: the audit row's (no limit)
    "oversight.api.children.RemovalIn": (AuditEntry,),
    "oversight.api.children.ChildChangeIn": (Child,),
    "oversight.api.concerns.ExtendIn": (Notice,),  # the new date and its reason: the notice's
    "oversight.api.concerns.ReferralIn": (Step,),
    "oversight.api.concerns.StageMeetingIn": (Step,),
    "oversight.api.concerns.AgendaIn": (Concern,),
    "oversight.api.concerns.MeetingOutcomeIn": (Concern,),
    "oversight.api.meetings.ValuesIn": (Meeting,),  # its values are the form's, checked there
    "oversight.api.meetings.AmendmentIn": (Meeting, AuditEntry),  # the reason: the audit row's
    "oversight.web.views_tokens.TokenForm": (ApiToken,),
    "oversight.web.views_interop.ReturnForm": (),  # a choice of return and year: it fills nothing
    "oversight.web.two_factor.CodeForm": (),  # a two-factor code: checked, never stored
    "oversight.cases.forms.RetentionDecisionForm": (RetentionReview,),
    "oversight.complaints.forms.ComplaintForm": (Complaint,),
    "oversight.complaints.forms.AcknowledgeForm": (Complaint,),
    "oversight.complaints.forms.ResponseForm": (Complaint,),
    "oversight.complaints.forms.ConcernFromComplaintForm": (Concern,),
    "oversight.fostering.forms.CarerForm": (Carer,),
    "oversight.fostering.forms.ReviewForm": (CarerReview,),
    "oversight.fostering.forms.ConcernForm": (CarerConcern,),
    "oversight.fostering.forms.ResponseForm": (ConcernStep,),  # the response: a step's text
    "oversight.fostering.forms.EscalateForm": (ConcernStep,),
    "oversight.fostering.forms.ResolveForm": (ConcernStep,),
    "oversight.api.complaints.ComplaintIn": (Complaint,),
    "oversight.api.complaints.AcknowledgementIn": (Complaint,),
    "oversight.api.complaints.ResponseIn": (Complaint,),
    "oversight.api.complaints.ConcernIn": (Concern,),
}
RENAMED = {("oversight.meetings.forms.DocumentForm", "file"): "name"}  # the upload's file name


def _columns_of(name: str) -> tuple[type[models.Model], ...]:
    if name.startswith("oversight.meetings.forms.") and name not in COLUMNS:
        return (Meeting,)  # a meeting record: its values are JSON, its kind and outcome codes
    return COLUMNS[name]


def instance(cls: Any, child: Child) -> forms.BaseForm | None:
    name = _name(cls)
    if name in ABSTRACT:
        return None
    if name.startswith("oversight.meetings.forms.") and hasattr(cls, "kind"):
        return cls(data={}, child=child, today=mon_1_mar_2027, people=[])
    kwargs = KWARGS.get(name, {})
    if "child" in kwargs:
        kwargs = {**kwargs, "child": child}
    return cls(data={}, **kwargs)


def column(models_: tuple[type[models.Model], ...], field: str) -> models.Field | None:
    for model in models_:
        try:
            found = model._meta.get_field(field)
        except FieldDoesNotExist:
            continue
        if isinstance(found, models.CharField | models.FileField):
            return found
        return None  # a TextField, a date, a relation: no length to keep to
    return None


def test_it_finds_the_forms_and_bodies():
    names = {_name(c) for c in form_classes()}
    assert "oversight.escalations.forms.RaiseForm" in names
    assert "oversight.meetings.forms.ConsultationForm" in names
    assert "oversight.api.concerns.RaiseIn" in {_name(c) for c in schemas()}


@pytest.mark.parametrize("cls", form_classes(), ids=_name)
def test_every_text_field_of_every_form_refuses_control_characters(cls, council):
    assert issubclass(cls, TextForm), f"{_name(cls)} is not a TextForm"
    form = instance(cls, council.child)
    if form is None:
        return
    form.is_valid()  # fields are guarded as the form is cleaned, with those __init__ added
    unguarded = [
        n
        for n, f in form.fields.items()
        if isinstance(f, forms.CharField) and validate_text not in f.validators
    ]
    assert unguarded == []


@pytest.mark.parametrize("cls", form_classes(), ids=_name)
def test_every_form_field_keeps_to_its_columns_length(cls, council):
    name = _name(cls)
    form = instance(cls, council.child)
    if form is None:
        return
    fields = form.fields
    wrong = []
    for field_name, field in fields.items():
        if not isinstance(field, forms.CharField | forms.FileField):
            continue
        key = RENAMED.get((name, field_name)) or re.sub(r"^(action|plan)_\d+_", "", field_name)
        found = column(_columns_of(name), key)
        if found is not None and field.max_length != found.max_length:
            wrong.append(f"{field_name}: {field.max_length} for {found.model.__name__}.{key} "
                         f"({found.max_length})")  # fmt: skip
    assert wrong == []


def _strings(annotation: Any, metadata: list[Any]) -> list[tuple[bool, int | None]]:
    """(refuses control characters, max length) of each string an annotation holds."""
    if annotation is str:
        guarded = any(getattr(m, "func", None) is _checked for m in metadata)
        longest = next(
            (m.max_length for m in metadata if isinstance(m, annotated_types.MaxLen)), None
        )
        return [(guarded, longest)]
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        return _strings(inner, [*metadata, *more])
    found = []
    for arg in typing.get_args(annotation):
        found += _strings(arg, metadata if typing.get_origin(annotation) is not list else [])
    return found


@pytest.mark.parametrize("schema", schemas(), ids=_name)
def test_every_string_of_every_api_body_refuses_control_characters(schema):
    unguarded = [
        n
        for n, info in schema.model_fields.items()
        for guarded, _ in _strings(info.annotation, list(info.metadata))
        if not guarded
    ]
    assert unguarded == []


@pytest.mark.parametrize("schema", schemas(), ids=_name)
def test_every_api_string_keeps_to_its_columns_length(schema):
    wrong = []
    for field_name, info in schema.model_fields.items():
        found = column(_columns_of(_name(schema)), field_name)
        if found is None:
            continue
        for _, longest in _strings(info.annotation, list(info.metadata)):
            if longest != found.max_length:
                wrong.append(f"{field_name}: {longest} for {found.model.__name__}.{field_name} "
                             f"({found.max_length})")  # fmt: skip
    assert wrong == []
