"""The persona tour: signed in as each demo persona (one per role, as `oversight signins` prints
them), a real browser follows the links of every page that persona reaches from its first page
and its menus, within the site, and each page passes axe-core's WCAG 2.2 AA rules with no
violation and answers without a server error.

The crawl is bounded: links are followed breadth-first, one page of each shape (a path with its
ids as `N`: one child page, one meeting record, not sixty), at most `PAGES_PER_PERSONA` pages a
persona; nothing is downloaded (a `download` link or a file path) and no form is sent, so the
tour changes nothing. axe-core is the npm package in `node_modules/` (package.json), injected
into each page, never fetched from a CDN; the tour's context bypasses the Content-Security-Policy
for that injection only (the pages' own scripts are the ones the policy allows)."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from oversight.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
PAGES_PER_PERSONA = 12
# WCAG 2.0, 2.1 and 2.2, levels A and AA: axe-core's tags for them.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Paths the tour does not open: signing out ends the tour; the admin and the API are not pages
# a persona's menus lead to; a file is a download, not a page.
NOT_PAGES = re.compile(r"^/(sign-out/$|admin/|api/|static/)|\.(csv|xlsx|pdf|docx|ics|json)$")
RUN_AXE = """
async (tags) => {
  const found = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return found.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
  }));
}
"""
LINKS = """
() => [...document.querySelectorAll('a[href]')]
  .filter(a => !a.hasAttribute('download'))
  .map(a => a.getAttribute('href'))
"""


def personas() -> list[tuple[str, str]]:
    """(role, username) of each demo persona, as `oversight signins` prints them."""
    from django.core.management import call_command

    printed = StringIO()
    call_command("signins", stdout=printed)
    found = []
    for line in printed.getvalue().splitlines()[2:]:
        role, username, _password = re.split(r"\s{2,}", line.strip())
        found.append((role, username))
    return found


def shape(path: str) -> str:
    """A path with its ids as `N`: the pages of one shape are one page to the tour."""
    return re.sub(r"/\d+(?=/|$|\.)", "/N", path)


def within_site(href: str) -> str | None:
    """The path and query of a link to a page of the site, or None (another site, a fragment of
    this page, a download, a path the tour does not open)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if NOT_PAGES.search(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def tour(page: Any, first: str) -> tuple[list[str], list[str]]:
    """The pages visited from `first` (breadth-first, one of each shape, bounded) and what was
    wrong on them: a server error, or an axe violation."""
    queue, seen = [first], {shape(urlsplit(first).path)}
    visited: list[str] = []
    wrong: list[str] = []
    while queue and len(visited) < PAGES_PER_PERSONA:
        url = queue.pop(0)
        response = page.goto(url)
        visited.append(url)
        status = response.status if response is not None else 0
        if status >= 500 or status == 0:
            wrong.append(f"{url}: answered {status}")
            continue
        page.add_script_tag(path=str(AXE))
        for violation in page.evaluate(RUN_AXE, WCAG_22_AA):
            wrong.append(
                f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} "
                f"at {', '.join(violation['nodes'])}"
            )
        for href in page.evaluate(LINKS):
            target = within_site(href)
            if target is None:
                continue
            key = shape(urlsplit(target).path)
            if key not in seen:
                seen.add(key)
                queue.append(target)
    return visited, wrong


@pytest.mark.slow
def test_every_persona_reaches_only_pages_without_an_axe_violation_or_a_server_error(
    browser,
    live_server,
    settings,
) -> None:
    from django.core.management import call_command

    from oversight.demo import Command as Demo

    assert AXE.exists(), f"{AXE} is missing: run `make setup` (npm ci installs axe-core)"
    call_command(Demo(), "--children", "60", "--seed", "1", stdout=StringIO())
    call_command("nightly", stdout=StringIO())
    found = personas()
    assert len(found) == 13  # one persona per role
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    wrong: list[str] = []
    visited: dict[str, list[str]] = {}
    try:
        for role, username in found:
            sign_in(page, username, settings.OVERSIGHT_DEMO_PASSWORD)
            assert urlsplit(page.url).path != "/sign-in/", f"{role} ({username}) not signed in"
            first = urlsplit(page.url).path  # each persona's first page
            visited[role], problems = tour(page, first)
            wrong += [f"{role}: {problem}" for problem in problems]
    finally:
        context.close()
    assert not wrong, "\n".join(wrong)
    # each persona reached more than its first page (its menus lead somewhere)
    assert all(len(pages) > 1 for pages in visited.values()), visited
