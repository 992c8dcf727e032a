"""Rendered parts of the busiest pages (My caseload's table, the child page's record), kept per
process under the data's version (`oversight.cases.data_version`): whatever changes what they
show or who may see it shows on the next request, in every worker.

The page shell, the session and access checks, and the audit row of a view run on every
request; only the rendering of what the version covers is reused, and only while the setting
`OVERSIGHT_WHOLE_PAGE_CACHE` is on (off, every fragment is built on every request).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from oversight.cases import data_version


def fragment(name: str, parts: Iterable[Any], build: Callable[[], str]) -> SafeString:
    """The HTML of fragment `name` for `parts` (which must include the version, the viewer and
    everything else the fragment depends on), remembered or built."""
    if not settings.OVERSIGHT_WHOLE_PAGE_CACHE:
        return mark_safe(build())  # noqa: S308 - rendered by our own templates, escaped there
    html = data_version.remember(("fragment", name, *parts), build)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, escaped there
