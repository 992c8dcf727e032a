"""The policy packs (read): which is active, and any pack as resolved through `extends`."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from oversight.policies import list_packs, load_pack
from oversight.policies.checks import active_policy

router = Router(tags=["policies"])


class Packs(Schema):
    active: str
    packs: list[str]


@router.get("/policies", response=Packs)
def packs(request: HttpRequest) -> dict[str, Any]:
    """The packs this installation holds, and the one in force."""
    return {"active": active_policy(), "packs": list_packs()}


@router.get("/policies/{name}", response=dict[str, Any])
def pack(request: HttpRequest, name: str) -> dict[str, Any]:
    """Pack `name` as resolved through `extends` (the rules every deadline is computed from)."""
    if name not in list_packs():
        raise Http404("No such pack")
    return load_pack(name).model_dump(mode="json")
