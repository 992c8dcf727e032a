"""Rendered parts of the busiest pages (My caseload's table, the child page's record), kept per
process under the versions they depend on (`oversight.cache.data_version`): whatever changes what
they show or who may see it shows on the next request, in every worker and on every host.

The session and access checks and the audit row of a view run on every request; the page
itself, shell and navigation included, is reused, its holes (the CSRF token, the unread count)
filled on each request by `oversight.web.remembered_pages`, and only while the setting
`OVERSIGHT_WHOLE_PAGE_CACHE` is on (off, every fragment is built on every request: the page
benchmark weighs this layer against none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from oversight.cache import data_version


def fragment(name: str, parts: Iterable[Any], build: Callable[[], str]) -> SafeString:
    """The HTML of fragment `name` for `parts` (which must include the versions, the viewer and
    everything else the fragment depends on), remembered or built."""
    if not settings.OVERSIGHT_WHOLE_PAGE_CACHE:
        return mark_safe(build())  # noqa: S308 - rendered by our own templates, escaped there
    html = data_version.remember(("fragment", name, *parts), build)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, escaped there


def page_number(requested: str | None, *, pages: int) -> int:
    """The page `Paginator.get_page` shows for `requested` out of `pages`: the first when it is
    not a whole number, the last when it is past either end."""
    try:
        number = int(requested or "")
    except ValueError:
        return 1
    return number if 1 <= number <= pages else pages


# A page's children as the audit log names them: (id, council reference) of each child it shows.
Shown = tuple[tuple[int, str], ...]


def paged_fragment(
    name: str,
    parts: Iterable[Any],
    requested: str | None,
    build: Callable[[int], tuple[str, int, Shown]],
) -> tuple[SafeString, Shown]:
    """The HTML of page `requested` (the request's `?page=`, unchecked) of fragment `name`, and
    the children it shows (for the audit row every view writes), keyed by the page it shows,
    never by what the request typed: `?page=999999` or `?page=x` reuses the last or the first
    page instead of making an entry of its own. `build(number)` gives a page's HTML, the number of
    pages and the page's children; the first page is built first to learn the number."""
    if not settings.OVERSIGHT_WHOLE_PAGE_CACHE:
        first, pages, shown = build(1)
        number = page_number(requested, pages=pages)
        html, _pages, shown = (first, pages, shown) if number == 1 else build(number)
        return mark_safe(html), shown  # noqa: S308 - rendered by our own templates, escaped there
    parts = tuple(parts)
    first, pages, shown = data_version.remember(("fragment", name, *parts, 1), lambda: build(1))
    number = page_number(requested, pages=pages)
    if number == 1:
        return mark_safe(first), shown  # noqa: S308 - rendered by our own templates, escaped there
    html, _pages, shown = data_version.remember(
        ("fragment", name, *parts, number), lambda: build(number)
    )
    return mark_safe(html), shown  # noqa: S308 - rendered by our own templates, escaped there
