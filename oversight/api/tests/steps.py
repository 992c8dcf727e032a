"""A step on a concern or a complaint sent as a caller must send it: with the resource's ETag,
read just before, in If-Match (the step's own tests of 428 and 412 send their own)."""

from __future__ import annotations

import re
from typing import Any

STEP = re.compile(r"^(/api/v1/(?:concerns|complaints)/\d+)/[a-z-]+$")


def if_match(client: Any, url: str, **headers: Any) -> dict[str, str]:
    """The If-Match a POST or PUT to `url` needs: the ETag of the concern or complaint it
    changes, as `headers`' caller reads it (none where that caller may not, or `url` is no
    step, or `headers` already holds one)."""
    found = STEP.match(url)
    if found is None or "HTTP_IF_MATCH" in headers:
        return {}
    tag = client.get(found[1], **headers).get("ETag")
    return {"HTTP_IF_MATCH": tag} if tag else {}
