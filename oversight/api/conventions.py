"""The API's conventions that every router applies the same way: cursor pagination in a stable
order, ETags and If-Match on updates, and Idempotency-Key on creates."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja.errors import HttpError

from oversight.api.models import IdempotentResponse
from oversight.api.problems import problem

MOST_PER_PAGE = 200


def _canonical(body: Any) -> bytes:
    return json.dumps(body, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":")).encode()


# Cursors: the last id of the page before, opaque to the caller (ordering is by id, stable
# whatever is added meanwhile: a new record has a higher id and comes on a later page).


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


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
        raise HttpError(400, "The cursor is not one this API gave") from None


def page[T](found: QuerySet[Any], cursor: str | None, limit: int, out: Callable[[Any], T]) -> dict:
    """One page of `found` after `cursor`, ordered by id: `{"items": [...], "next": cursor}`."""
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
    sent = request.headers.get("If-Match")
    if not sent:
        raise HttpError(428, "Send the resource's ETag in If-Match")
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
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        status, body = create()
        return _answer(body, status, tagged=tagged)
    if len(key) > 200 or not key.isprintable():
        return problem(400, "The Idempotency-Key must be at most 200 printable characters")
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
