"""Reading a request's JSON body, for every router: only after the access check, and every
fault named by its field (422)."""

from __future__ import annotations

import json

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticError

from oversight.cases.models import StaffMember


def body[S: Schema](schema: type[S], request: HttpRequest) -> S:
    """The request's JSON body as `schema`, read only after the access check; 422 naming each
    field at fault."""
    try:
        raw = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError(
            [{"loc": ["body"], "msg": "The body is not JSON", "type": "json_invalid"}]
        ) from None
    try:
        return schema.model_validate(raw)
    except PydanticError as exc:
        raise ValidationError(
            [
                {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in exc.errors(include_url=False, include_context=False)
            ]
        ) from None


def staff_member(pk: int | None, field: str) -> StaffMember | None:
    """The member of staff a body names by id in `field` (None when it names none); 422 when
    there is no such member of staff."""
    if pk is None:
        return None
    staff = StaffMember.objects.filter(pk=pk).first()
    if staff is None:
        raise ValidationError(
            [{"loc": ["body", field], "msg": "No such member of staff", "type": "not_found"}]
        )
    return staff
