"""The API's conventions that every router applies the same way: cursor pagination in a stable
order, ETags and If-Match on updates, and Idempotency-Key on creates; and the document's account
of them (`documented`), made here from the same names and rules, so that what the OpenAPI
document says of an operation is what these functions do to it."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Schema
from ninja.errors import HttpError

from oversight.api.models import IdempotentResponse
from oversight.api.problems import problem

MOST_PER_PAGE = 200
IF_MATCH = "If-Match"
IDEMPOTENCY_KEY = "Idempotency-Key"
LONGEST_KEY = 200


def _canonical(body: Any) -> bytes:
    return json.dumps(body, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":")).encode()


# Cursors: the last id of the page before, opaque to the caller (ordering is by id, stable
# whatever is added meanwhile: a new record has a higher id and comes on a later page).


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


class BadQuery(Exception):
    """A query parameter this API does not take (400, a problem naming it in `errors`)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "id" or not value.isdigit():
            raise ValueError
        return int(value)
    except ValueError:
        raise BadQuery("cursor", "The cursor is not one this API gave") from None


def page[T](found: QuerySet[Any], cursor: str | None, limit: int, out: Callable[[Any], T]) -> dict:
    """One page of at most `limit` of `found` after `cursor`, ordered by id (stable whatever is
    added meanwhile): `{"items": [...], "next": cursor}`; 400 for a cursor this API did not give
    or a limit outside 1 to `MOST_PER_PAGE`."""
    if not 1 <= limit <= MOST_PER_PAGE:
        raise BadQuery("limit", f"limit must be between 1 and {MOST_PER_PAGE}")
    after = decode_cursor(cursor)
    if after is not None:
        found = found.filter(pk__gt=after)
    rows = list(found.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [out(r) for r in rows],
        "next": encode_cursor(rows[-1].pk) if more and rows else None,
    }


def listed(found: dict[str, Any]) -> HttpResponse:
    """A page (`page`) as the answer, written as a resource is (`with_etag`): each item is made
    to its schema by the page's `out`, so django-ninja's checking it again against the
    operation's schema (pydantic, field by field through its getter) is not asked for; the JSON
    is the same (issue 17's benchmark: 1.6 ms of a page of 50 obligations). The schema stays
    the operation's in the document, and the schemathesis test holds every answer to it."""
    return JsonResponse(found, encoder=DjangoJSONEncoder)


def etag(body: Any) -> str:
    """A strong ETag of a resource as the API shows it."""
    return '"' + hashlib.sha256(_canonical(body)).hexdigest()[:32] + '"'


def with_etag(request: HttpRequest, body: dict[str, Any]) -> HttpResponse:
    """The resource with its ETag; 304 when the caller already holds this version."""
    tag = etag(body)
    if request.headers.get("If-None-Match") == tag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(body, encoder=DjangoJSONEncoder)
    response["ETag"] = tag
    return response


def _require_match(request: HttpRequest, current: dict[str, Any]) -> None:
    """An update's precondition: the caller's If-Match is the resource's ETag now (428 when it
    sent none, 412 when it is stale: someone changed the resource since the caller read it)."""
    sent = request.headers.get(IF_MATCH)
    if not sent:
        raise HttpError(428, f"Send the resource's ETag in {IF_MATCH}")
    if sent.strip() not in (etag(current), "*"):
        raise HttpError(412, "The resource has changed since you read it: read it again")


def matched[M: Model](request: HttpRequest, found: M, out: Callable[[M], dict[str, Any]]) -> M:
    """`found` again, locked until the caller's transaction ends, once the caller's If-Match is
    its ETag as `out` shows it (428, 412 as `_require_match`): two systems holding one ETag
    cannot both change it, the second waits for the first and then gets 412."""
    locked = type(found)._default_manager.select_for_update().get(pk=found.pk)
    _require_match(request, out(locked))
    return locked


def step[M: Model](
    request: HttpRequest,
    found: M,
    out: Callable[[M], dict[str, Any]],
    act: Callable[[M], int],
) -> HttpResponse:
    """A POST that changes an existing resource (a concern's step, a complaint's): `act` on it,
    locked and matched to the caller's If-Match (`matched`) before its body is read, so a
    precondition fails before the input is judged; with Idempotency-Key as every POST, the key
    looked up first so that a retry gets its first answer rather than 412. `act` reads the body
    and gives the status; the answer is the resource as it now stands, with its new ETag."""

    def create() -> tuple[int, dict[str, Any]]:
        with transaction.atomic():
            changed = matched(request, found, out)
            status = act(changed)
            return status, out(changed)

    return idempotent(request, create, tagged=True)


def idempotent(
    request: HttpRequest,
    create: Callable[[], tuple[int, dict[str, Any]]],
    *,
    tagged: bool = False,
) -> HttpResponse:
    """`create()` once per Idempotency-Key and caller: a retry with the same key and body gets
    the first answer again, the same key with another body is refused (422), and two at once
    make one record (the key's row is written in the create's transaction). Every POST answers
    through here. `tagged`: the answer carries its resource's ETag (a POST that changes a
    resource the caller goes on to update, such as completing a draft)."""
    key = request.headers.get(IDEMPOTENCY_KEY, "").strip()
    if not key:
        status, body = create()
        return _answer(body, status, tagged=tagged)
    if len(key) > LONGEST_KEY or not key.isprintable():
        return problem(
            400, f"The {IDEMPOTENCY_KEY} must be at most {LONGEST_KEY} printable characters"
        )
    sent = hashlib.sha256(request.body or b"").hexdigest()
    first = _first_answer(request, key, sent, tagged=tagged)
    if first is not None:
        return first
    try:
        with transaction.atomic():
            status, body = create()
            IdempotentResponse.objects.create(
                user_id=_caller(request),
                key=key,
                path=request.path[:500],
                body_digest=sent,
                status=status,
                body=json.loads(_canonical(body)),
                created_at=timezone.now(),
            )
    except IntegrityError:  # the same key, sent twice at once: the other one made it
        first = _first_answer(request, key, sent, tagged=tagged)
        if first is None:
            raise
        return first
    return _answer(body, status, tagged=tagged)


def _answer(body: dict[str, Any], status: int, *, tagged: bool) -> HttpResponse:
    response = JsonResponse(body, status=status, encoder=DjangoJSONEncoder)
    if tagged:
        response["ETag"] = etag(body)
    return response


def _caller(request: HttpRequest) -> int:
    """The id of the user calling (every endpoint that reaches here has authenticated one)."""
    assert request.user.pk is not None
    return int(request.user.pk)


def _first_answer(
    request: HttpRequest, key: str, sent: str, *, tagged: bool
) -> HttpResponse | None:
    kept = IdempotentResponse.objects.filter(user_id=_caller(request), key=key).first()
    if kept is None:
        return None
    if kept.body_digest != sent or kept.path != request.path[:500]:
        return problem(422, "This Idempotency-Key was used with another request")
    response = _answer(kept.body, kept.status, tagged=tagged)
    response["Idempotent-Replayed"] = "true"
    return response


# What the OpenAPI document says of each operation (`v1.Document` calls `documented` for each):
# the body a write reads, which is read by hand after the access check (`bodies.body`) and so
# is unknown to django-ninja until the write declares it (`takes`); the two headers above, by
# the rules the functions above keep; and the problems the operation may answer.


@dataclass(frozen=True)
class Takes:
    """What a write reads besides its path: its JSON body (`body`, None when it reads none),
    whether a POST changes an existing resource and so requires If-Match (`changes`: a POST
    through `step`; every PATCH, PUT and DELETE does), and when it answers 409 (`conflict`)."""

    body: type[Schema] | None
    changes: bool = False
    conflict: str = ""


def takes[V: Callable[..., Any]](
    body: type[Schema] | None, *, changes: bool = False, conflict: str = ""
) -> Callable[[V], V]:
    """Declare, on a write's view, what it reads (`Takes`), for its operation in the document."""

    def declare(view: V) -> V:
        view.takes = Takes(body, changes=changes, conflict=conflict)  # type: ignore[attr-defined]
        return view

    return declare


def _header(name: str, *, required: bool, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": {"type": "string", "minLength": 1, **schema},
    }


REQUIRED_IF_MATCH = _header(
    IF_MATCH,
    required=True,
    description="The resource's ETag as last read (or *): 428 without it, 412 when stale",
)
OPTIONAL_IDEMPOTENCY_KEY = _header(
    IDEMPOTENCY_KEY,
    required=False,
    description=(
        "Any key unique to this request (a UUID): a retry with the same key and body gets the "
        "first answer again, never a second record; the same key with another body is 422"
    ),
    maxLength=LONGEST_KEY,
)

# Why each problem is answered, for the document's responses.
PROBLEMS = {
    400: "A query parameter, the cursor or the Idempotency-Key is not one this API takes",
    401: "No credentials: sign in, or send an API token as Authorization: Bearer",
    403: "The caller's role may not do this, or a read-only token writes",
    404: "There is no such record, or it is not the caller's to see",
    409: "",  # the operation's own reason (`Takes.conflict`)
    412: "If-Match is not the resource's ETag now: someone changed it since it was read",
    422: "The input has mistakes, each named by its field's path in `errors`",
    428: "If-Match is required: send the resource's ETag",
    429: "Too many requests from this caller: wait for Retry-After seconds",
}
WRITES = ("post", "put", "patch", "delete")


def documented(
    method: str,
    operation: dict[str, Any],
    declared: Takes | None,
    schema_of: Callable[[type[Schema]], dict[str, Any]],
) -> None:
    """Add to `operation` (one operation of the document, its `method`) what the conventions do
    to it: the body `declared` (`schema_of` gives a reference to its schema among the document's
    components), If-Match required on an update, Idempotency-Key on every POST
    (every POST answers through `idempotent`), and each problem it may answer
    (`application/problem+json`, components' `Problem`)."""
    declared = declared or Takes(None)
    writes = method in WRITES
    changes = method in ("put", "patch", "delete") or declared.changes
    if declared.body is not None:
        operation["requestBody"] = {
            # an empty body is read as {}: required when the schema requires a field
            "required": any(f.is_required() for f in declared.body.model_fields.values()),
            "content": {"application/json": {"schema": schema_of(declared.body)}},
        }
    parameters = operation.setdefault("parameters", [])
    if changes:
        parameters.append(dict(REQUIRED_IF_MATCH))
    if method == "post":
        parameters.append(dict(OPTIONAL_IDEMPOTENCY_KEY))
    statuses = {401, 429}
    if any(p["in"] == "path" for p in parameters):
        statuses.add(404)
    if any(p["in"] == "query" for p in parameters):
        statuses |= {400, 422}
    if writes:
        statuses |= {403, 422}
    if method == "post":
        statuses.add(400)
    if changes:
        statuses |= {412, 428}
    if declared.conflict:
        statuses.add(409)
    for status in sorted(statuses):
        operation["responses"][status] = {
            "description": declared.conflict if status == 409 else PROBLEMS[status],
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
