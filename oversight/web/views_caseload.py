"""My caseload (the landing page) and the team view: obligations from the database, counted,
filtered, sorted and paginated in SQL, so that the number of queries does not grow with the
caseload."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from oversight.audit.actions import Named, named, record_page_view
from oversight.cache import data_version, page_cache
from oversight.cases.access import (
    IRO_SERVICE_ROLES,
    LINE_MANAGER_ROLES,
    caseload_holders,
    caseload_scope,
    caseload_scope_remembered,
    has_caseload,
    line_of,
    open_allocations,
    restriction_filter,
    staff_for_user,
)
from oversight.cases.allocations import children_without_social_worker
from oversight.cases.constants import Role
from oversight.cases.formatting import age, clock, short_day
from oversight.cases.labels import label_for
from oversight.cases.models import Allocation, Child, Obligation, StaffMember
from oversight.cases.obligations import Pack, active_pack
from oversight.complaints.deadlines import mark_complaint_rows
from oversight.escalations.caseload import mark_concern_rows, overdue_for_watchers
from oversight.timescales.dates import calendar_for, due_date, working_days_between
from oversight.web.access import landing
from oversight.web.caseload_filters import (
    SOON_WORKING_DAYS,
    SORTS,
    CaseloadFilter,
    chosen_filters,
    rank,
)
from oversight.web.downloads import table_download
from oversight.web.remembered_pages import HOLES, filled

ROWS_PER_PAGE = 50
Status = Obligation.Status


def soon_until(today: dt.date) -> dt.date:
    """The last day of "due soon": the 10th working day after today (today not counted)."""
    return due_date(f"{SOON_WORKING_DAYS} working days", today, active_pack().policy)


def _owner_names(
    rows: Sequence[Obligation],
    today: dt.date,
    role_labels: dict[str, str],
    viewer: StaffMember | None = None,
) -> dict[int, list[str]]:
    """Each row's owners in words, each person once with the roles they own it by (one query
    for the page, names only), `viewer` as "You"; a role nobody holds by its name."""
    holders: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    allocations = (
        Allocation.objects.filter(open_allocations(today), child_id__in={r.child_id for r in rows})
        .order_by("pk")
        .values_list(
            "child_id",
            "role",
            "staff_id",
            "staff__user__first_name",
            "staff__user__last_name",
            "staff__user__username",
        )
    )
    you = viewer.pk if viewer is not None else None
    for child_id, role, staff_id, first, last, username in allocations:
        name = "You" if staff_id == you else f"{first} {last}".strip() or username
        holders[(child_id, role)].append((staff_id, name))
    names: dict[int, list[str]] = {}
    for row in rows:
        people: dict[int | str, tuple[str, list[str]]] = {}  # person (or role) -> name, roles
        if row.owner_staff_id is not None:
            named = "You" if row.owner_staff_id == you else _owner_name(row)
            people[row.owner_staff_id] = (named, [])
        for role in row.owner_roles.strip("|").split("|") if row.owner_roles else []:
            label = role_labels.get(role, role.replace("_", " "))
            for staff_id, name in holders.get((row.child_id, role), []):
                people.setdefault(staff_id, (name, []))[1].append(label)
            if (row.child_id, role) not in holders:
                people.setdefault(role, (label, []))
        names[row.pk] = [
            f"{name} ({', '.join(roles)})" if roles and name != "You" else name
            for name, roles in people.values()
        ] or ["Not named"]
    return names


def _owner_name(row: Obligation) -> str:
    """The action's named owner as `str(StaffMember)` says it."""
    if not hasattr(row, "owner_username"):  # not from `with_owner_names`
        return str(row.owner_staff)
    return f"{row.owner_first} {row.owner_last}".strip() or row.owner_username  # type: ignore[attr-defined]


def url_maker(name: str, *leading: int) -> Callable[[int], str]:
    """`reverse(name, args=[*leading, pk])` for many pks at the cost of one `reverse`."""
    sentinel = "2147483647"
    head, tail = reverse(name, args=[*leading, int(sentinel)]).rsplit(sentinel, 1)
    return lambda pk: f"{head}{pk}{tail}"


@dataclass(frozen=True)
class Act:
    """The form that meets an obligation: its URL name (taking the child's id), the choices it
    is given, and which date the link fills in: `today` (the day the person acts), `due` (a
    booked meeting's day), `trigger` (the day of the event the obligation follows) or none."""

    url: str
    given: tuple[tuple[str, str], ...] = ()
    date: str = "today"


def _booking(meeting: str) -> Act:
    return Act("meeting_new_booking", (("meeting", meeting),))


def _event(kind: str) -> Act:
    return Act("event_new", (("type", kind),))


# What "Act" opens for each obligation code of the catalogue (and of the packs): not yet
# booked -> the booking form; booked -> the record of that meeting; a record or document due
# -> the chronology's form for that event. A concern's response codes open its escalation
# record (the addressee's "Respond" comes first there; the chair escalates or extends from it),
# linked by `oversight.escalations.caseload.mark_concern_rows`, which finds the concern.
ACT_FORMS: dict[str, Act] = {
    "cp.icpc": _booking("icpc"),
    "cp.core_group.first": Act("meeting_new_core_group"),
    "cp.rcpc.first": _booking("rcpc"),
    "cp.rcpc.next": _booking("rcpc"),
    "cp.visit": Act("meeting_new_cp_visit"),
    "cp.child_discussion.record": _event("child_discussion_recorded"),
    "cp.conference.reports": _event("conference_reports_received"),
    "lac.iro.allocate": Act("allocate", date=""),
    "lac.review.first": _booking("lac_review"),
    "lac.review.second": _booking("lac_review"),
    "lac.review.next": _booking("lac_review"),
    "lac.adoption.review": _booking("lac_review"),
    "lac.sw_visit": _event("lac_visit"),
    "lac.review.decisions": Act("meeting_new_review_issued", date="trigger"),
    "lac.review.record": Act("meeting_new_review_issued", date="trigger"),
    "lac.review.sw_consultation": _event("sw_consulted"),
    "lac.review.documents": _event("review_documents_received"),
    "consult.request": Act("meeting_new_consultation"),
    "lac.review.child_seen": _event("chair_child_discussion"),
    "lac.iro.details": Act("meeting_new_iro_details_sent"),
    "lac.iro.handover": Act("meeting_new_iro_handover"),
    "consult.tac": _booking("tac_meeting"),
    "consult.threshold": Act("meeting_new_threshold_decision"),
    "booked.icpc": Act("meeting_new_icpc", date="due"),
    "booked.rcpc": Act("meeting_new_rcpc", date="due"),
    "booked.core_group": Act("meeting_new_core_group", date="due"),
    "booked.midway_review": Act("meeting_new_midway_review", date="due"),
    "booked.lac_review": Act("meeting_new_lac_review", date="due"),
    "booked.tac_meeting": Act("meeting_new_tac_meeting", date="due"),
    "action.due": _event("action_done"),  # and the action's id, from the row
    # met only by an action plan of that concern (recorded from its record), never a bare action
    "esc.action_plan": Act("concern", date=""),
    "esc.informal.response": Act("concern", date=""),
    "esc.informal.final": Act("concern", date=""),
    "esc.stage.response": Act("concern", date=""),
}
# Codes with no form of their own, and why: "Act" opens the child's page or the record.
NO_FORM: dict[str, str] = {
    "esc.total": "the formal process as a whole: met by the concern's resolution, which is "
    "decided on the escalation record",
    "complaint.acknowledge": 'the complaint\'s record, where "Act" goes '
    "(`oversight.complaints.deadlines.mark_complaint_rows`), records its acknowledgement",
    "complaint.response": 'the complaint\'s record, where "Act" goes '
    "(`oversight.complaints.deadlines.mark_complaint_rows`), records its response",
}


def _typed(day: dt.date) -> str:
    """A date as the forms' date fields take it typed ("3 12 2026")."""
    return f"{day.day} {day.month} {day.year}"


def act_link(row: Obligation, today: dt.date, urls: dict[str, Callable[[int], str]]) -> str:
    """Where to act on `row`: the form of `ACT_FORMS` with the child and its date filled in,
    else the child's page. `urls`: a `url_maker` per URL name, shared by the page's rows."""
    act = ACT_FORMS.get(row.code)
    if act is None or act.url == "concern":  # the concern's record, set by `mark_concern_rows`
        return _url(urls, "child")(row.child_id)
    given = list(act.given)
    if row.code == "action.due":
        given.append(("action", str(row.trigger.get("action", ""))))
    day = {"today": today, "due": row.due, "trigger": _trigger_day(row)}.get(act.date)
    if day is not None:
        given.append(("date", _typed(day)))
    query = urlencode(given)
    return _url(urls, act.url)(row.child_id) + (f"?{query}" if query else "")


def _trigger_day(row: Obligation) -> dt.date | None:
    stamp = str((row.trigger or {}).get("date", ""))[:10]
    return dt.date.fromisoformat(stamp) if stamp else None


def _url(urls: dict[str, Callable[[int], str]], name: str) -> Callable[[int], str]:
    if name not in urls:
        urls[name] = url_maker(name)
    return urls[name]


_WORDS: list[tuple[Pack, dict[str, str]]] = []


def _pack_words(pack: Pack) -> dict[str, str]:
    """The pack's role labels (once per active pack, not per page)."""
    for known, labels in _WORDS:
        if known is pack:
            return labels
    labels = {str(k): str(v) for k, v in (pack.policy.extra.get("roles") or {}).items()}  # type: ignore[attr-defined]
    _WORDS[:] = [(pack, labels)]
    return labels


def _plural(n: int) -> str:
    return "" if n == 1 else "s"


def decorate(
    rows: Sequence[Obligation],
    today: dt.date,
    soon: dt.date | None = None,
    *,
    viewer: StaffMember | None = None,
) -> None:
    """Plain words, working days left (or late), the child's page and a link to act, for each
    row: one query for the owners' names, then plain Python (the calendar is a table lookup).
    And what `_obligation_rows.html` shows of each, in words, so that the template only places
    it: the child's age ("Unborn" before a date of birth), the due date, the working days
    (tagged red when late, orange when due today, yellow when due by `soon`, default today), the
    owners (each person once; `viewer` as "You"), the family the obligation belongs to."""
    pack = active_pack()
    cal = calendar_for(pack.policy)
    labels = _pack_words(pack)
    owners = _owner_names(rows, today, labels, viewer) if rows else {}
    urls = {"child": url_maker("child")}
    soon = soon or today
    for row in rows:
        row.label = label_for(row.code)  # type: ignore[attr-defined]
        row.category_label = Obligation.Category(row.category).label  # type: ignore[attr-defined]
        row.owner_names = owners[row.pk]  # type: ignore[attr-defined]
        row.owner_text = "; ".join(owners[row.pk])  # type: ignore[attr-defined]
        row.act_url = act_link(row, today, urls)  # type: ignore[attr-defined]
        row.child_url = urls["child"](row.child_id)  # type: ignore[attr-defined]
        if hasattr(row, "child_last"):  # from `with_child_names`: the child as the rows show it
            name = f"{row.child_first} {row.child_last}".strip() or "Unborn child"  # type: ignore[attr-defined]
            row.child_name = name  # type: ignore[attr-defined]
            row.child_age = age(row.child_born, today) or "Unborn"  # type: ignore[attr-defined]
        row.due_iso = row.due.isoformat()  # type: ignore[attr-defined]
        row.due_text = short_day(row.due)  # type: ignore[attr-defined]
        if row.due_at is not None:
            row.due_at_text = clock(timezone.localtime(row.due_at))  # type: ignore[attr-defined]
        tag, text = "", ""
        if row.status != Status.MET:
            left = working_days_between(today, row.due, cal)
            row.working_days = left  # type: ignore[attr-defined]
            row.late_by = -left if row.status == Status.OVERDUE else 0  # type: ignore[attr-defined]
        if row.status == Status.OVERDUE:
            tag, text = "red", f"{row.late_by} working day{_plural(row.late_by)} late"  # type: ignore[attr-defined]
        elif row.status == Status.PENDING:
            if left == 0:
                tag, text = "orange", "Due today"
            else:
                tag = "yellow" if row.due <= soon else ""
                text = f"{left} working day{_plural(left)} left"
        else:
            met = short_day(row.met_on)
            text = f"Met {met} ({'on time' if row.on_time else 'late'})"
        row.days_tag, row.days_text = tag, text  # type: ignore[attr-defined]


def _counts(found: QuerySet[Obligation], soon: dt.date) -> dict[str, int]:
    """The numbers at the top of the page, in one aggregate query."""
    return found.aggregate(
        overdue=Count("pk", filter=Q(status=Status.OVERDUE)),
        soon=Count("pk", filter=Q(status=Status.PENDING, due__lte=soon)),
        later=Count("pk", filter=Q(status=Status.PENDING, due__gt=soon)),
        met=Count("pk", filter=Q(status=Status.MET)),
    )


def _listed_count(status: str, counts: dict[str, int]) -> int:
    """How many rows the status filter lists, from the counts (no second COUNT query)."""
    if status == "open":
        return counts["overdue"] + counts["soon"] + counts["later"]
    if status == "all":
        return counts["overdue"] + counts["soon"] + counts["later"] + counts["met"]
    return counts[status]


class CountedPaginator(Paginator):
    """A paginator told its count, which the page has already computed in SQL."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # `count` is a cached_property


# What the obligation rows show (and `act_link` reads): nothing else is loaded. With
# `with_owner_names`, and `with_child_names` where the child is shown.
ROW_FIELDS = (
    "child_id", "code", "category", "trigger", "due", "due_at", "status", "met_on", "on_time",
    "owner_roles", "owner_staff",
)  # fmt: skip


def with_owner_names(found: QuerySet[Obligation]) -> QuerySet[Obligation]:
    """The named owner's names (an action's), by primary key lookups rather than a join, which
    the planner, expecting a handful of rows, does by reading every member of staff per row."""
    user = get_user_model().objects.filter(staff__pk=OuterRef("owner_staff_id"))
    return found.annotate(
        owner_first=Subquery(user.values("first_name")[:1]),
        owner_last=Subquery(user.values("last_name")[:1]),
        owner_username=Subquery(user.values("username")[:1]),
    )


def with_child_names(found: QuerySet[Obligation]) -> QuerySet[Obligation]:
    """Each row's child's names, reference and date of birth (`child_last` to sort by), each a
    lookup by primary key, not a join: a join lets the planner read every child of the council
    to match a caseload's few hundred (issue 6's benchmark)."""
    child = Child.objects.filter(pk=OuterRef("child_id"))
    return found.annotate(
        child_first=Subquery(child.values("first_name")[:1]),
        child_last=Subquery(child.values("last_name")[:1]),
        child_reference=Subquery(child.values("reference")[:1]),
        child_born=Subquery(child.values("date_of_birth")[:1]),
    )


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """Every obligation of the children I hold; "mine to act on" by default; filtered and
    sorted by the query (`CaseloadFilter`), the filters beside the list."""
    today = timezone.localdate()
    staff = staff_for_user(request.user)
    if staff is None:
        raise PermissionDenied
    if not has_caseload(request.user):  # the auditor, an administrator: hold no child
        return redirect(landing(request.user))
    soon = soon_until(today)
    chosen = chosen_filters(request.GET)  # only known values reach the cache key

    pack = id(active_pack())  # a test or a restart may change it; fragments are per process
    # Who may see what, every record, and the records of the children I, whom I cover for, and
    # my line hold: a change to a child in my scope shows at once, to any other rebuilds nothing.
    versions = (
        data_version.current(data_version.ACCESS),
        data_version.current(data_version.RECORDS),
        data_version.holders(caseload_holders(staff, today)),
    )
    parts = (*versions, pack, staff.pk, today, get_language(), *chosen.values())
    page, shown = page_cache.paged_fragment(
        "caseload",
        parts,
        request.GET.get("page"),
        lambda number: _caseload_page(request, staff, today, soon, chosen, number),
    )
    record_page_view(request, what="caseload.viewed", children=named(shown))
    return HttpResponse(filled(page, request))


def _sort_links(chosen: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each sortable column's link (ascending first, then the other way) and its `aria-sort`."""
    links = {}
    current = chosen["sort"]
    for key in SORTS:
        on = current.lstrip("-") == key
        descending = on and current.startswith("-")
        target = key if not on or descending else f"-{key}"
        query = urlencode({**chosen, "sort": target})
        sort = ("descending" if descending else "ascending") if on else "none"
        links[key] = {"href": f"?{query}", "aria_sort": sort}
    return links


def _caseload_page(
    request: HttpRequest,
    staff: StaffMember,
    today: dt.date,
    soon: dt.date,
    chosen: dict[str, str],
    number: int,
) -> tuple[str, int, page_cache.Shown]:
    """My caseload (counts, filters, the rows, page `number`) as a whole page with the holes of
    `remembered_pages`, for `staff` as of `today` with the `chosen` filters and sort, its number
    of pages and the children it shows: the same for every request until a version of its key
    changes. The shell and navigation too: what they show follows the viewer's roles and the
    access version, both in the key."""
    filters, counted, listed = _caseload_listed(staff, today, soon, chosen)
    counts = _counts(counted, soon)
    paginator = CountedPaginator(listed, ROWS_PER_PAGE, _listed_count(chosen["status"], counts))
    page = paginator.get_page(number)
    rows = list(page.object_list)
    mine_only = chosen["mine"] == "1"
    _decorate_caseload(rows, today, soon, staff, mine_only)
    unallocated = children_without_social_worker(staff, today)
    html = render_to_string(
        "web/caseload.html",
        {
            **HOLES,
            "nav": "caseload",
            "wide": True,  # the filters beside the list
            "today": today,
            "soon": soon,
            "page": page,
            "rows": rows,
            "counts": counts,
            "mine_only": mine_only,
            "chosen": chosen,
            "form": filters.form,
            "sorts": _sort_links(chosen),
            "query": urlencode(chosen),
            "count_query": urlencode({k: v for k, v in chosen.items() if k != "status"}),
            "soon_days": SOON_WORKING_DAYS,
            "without_social_worker": unallocated,
        },
        request=request,
    )
    return html, paginator.num_pages, shown_in(rows)


def _caseload_listed(
    staff: StaffMember, today: dt.date, soon: dt.date, chosen: dict[str, str]
) -> tuple[CaseloadFilter, QuerySet[Obligation], QuerySet[Obligation]]:
    """My caseload's filters for the `chosen` values, the obligations its counts count, and the
    rows listed in the chosen order: the page and its downloads alike. The caseload's children
    as their ids, remembered (`caseload_scope_remembered`), not `caseload_scope`'s subquery."""
    _scope, mine = caseload_scope(staff, today, watched_when_overdue=overdue_for_watchers())
    filters = CaseloadFilter(chosen, mine=mine, soon=soon)
    found = Obligation.objects.filter(caseload_scope_remembered(staff, today))
    listed = filters.listed(with_owner_names(with_child_names(found))).only(*ROW_FIELDS)
    return filters, filters.counted(found), listed


def _decorate_caseload(
    rows: Sequence[Obligation], today: dt.date, soon: dt.date, staff: StaffMember, mine_only: bool
) -> None:
    """`decorate` for My caseload; with "mine to act on" every row is mine, so the owner column
    names the others who share it; then the concerns' rows (`mark_concern_rows`: the escalation
    record, the chair's "no response" words) and the complaints' (`mark_complaint_rows`: the
    complaint's record)."""
    decorate(rows, today, soon, viewer=staff)
    if mine_only:
        for row in rows:
            row.owner_text = "; ".join(n for n in row.owner_names if n != "You")  # type: ignore[attr-defined]
    mark_concern_rows(rows, staff)
    mark_complaint_rows(rows)


# The columns of My caseload's and the team page's downloads: what a row shows, a column each.
EXPORT_COLUMNS = (
    "Council reference",
    "Child",
    "Age",
    "Obligation",
    "For",
    "Due",
    "Working days",
)
EXPORT_BATCH = 500  # rows worded at a time (`decorate` names a batch's owners in one query)


def _export_lines(
    listed: QuerySet[Obligation],
    word: Callable[[Sequence[Obligation]], None],
    *,
    lead: Callable[[Any], str] | None = None,
) -> Iterator[tuple[Named, tuple[str | dt.date, ...]]]:
    """Each of `listed`'s rows as a download's line, worded by `word` a batch at a time (memory
    flat however long the list): its child for the audit row, then the `lead` cell if any (the
    team's social worker), `EXPORT_COLUMNS` and the owners."""
    for batch in batched(listed.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH):
        word(batch)
        for row in batch:
            shown: Any = row
            child = Named(row.child_id, shown.child_reference)
            cells = (
                *(shown.child_reference, shown.child_name, shown.child_age, shown.label),
                *(shown.category_label, row.due, shown.days_text, shown.owner_text),
            )
            yield child, ((lead(row), *cells) if lead else cells)


@login_required
def caseload_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """My caseload as CSV or XLSX: every row its filters and sort list (all pages), audited
    naming each child."""
    today = timezone.localdate()
    staff = staff_for_user(request.user)
    if staff is None or not has_caseload(request.user):
        raise PermissionDenied
    soon = soon_until(today)
    chosen = chosen_filters(request.GET)
    _filters, _counted, listed = _caseload_listed(staff, today, soon, chosen)
    mine_only = chosen["mine"] == "1"
    return table_download(
        request,
        what="caseload",
        name=f"caseload_{today.isoformat()}",
        fmt=fmt,
        sheet="My caseload",
        columns=(*EXPORT_COLUMNS, "Shared with" if mine_only else "Owner"),
        lines=_export_lines(
            listed, lambda rows: _decorate_caseload(rows, today, soon, staff, mine_only)
        ),
    )


def shown_in(rows: Sequence[Obligation]) -> page_cache.Shown:
    """The children of `rows` (annotated by `with_child_names`), each once, in the order shown."""
    seen: dict[int, str] = {}
    for row in rows:
        seen.setdefault(row.child_id, row.child_reference)  # type: ignore[attr-defined]
    return tuple(seen.items())


# The team view is a line of social workers: the management line's, not the IRO service's
# managers' (their line is IROs; every child is theirs on My caseload and the allocation page).
TEAM_ROLES = LINE_MANAGER_ROLES - IRO_SERVICE_ROLES


# The open social-worker allocations of the team view's children (over Obligation, through
# the child): in one filter() call, so that every condition is on the same allocation row.
_SW = "child__allocations__"


def _team_listed(
    staff: StaffMember, today: dt.date, soon: dt.date
) -> tuple[QuerySet[Any], QuerySet[Obligation]]:
    """The team view's obligations (overdue, or due by `soon`) under each social worker of
    `staff`'s line holding the child, and the same as its rows are listed, by social worker:
    the page and its downloads alike."""
    line = sorted(line_of(staff) - {staff.pk})
    pairs = (
        Obligation.objects.filter(
            Q(**{f"{_SW}role": Role.SOCIAL_WORKER, f"{_SW}staff_id__in": line})
            & Q(**{f"{_SW}starts__lte": today})
            & (Q(**{f"{_SW}ends__isnull": True}) | Q(**{f"{_SW}ends__gte": today}))
        )
        .filter(Q(status=Status.OVERDUE) | Q(status=Status.PENDING, due__lte=soon))
        .filter(restriction_filter(staff, child_id="child_id"))
        .annotate(worker_id=F(f"{_SW}staff_id"))
    )
    listed = (
        with_owner_names(with_child_names(pairs))
        .annotate(
            rank=rank(soon),
            worker_first=F(f"{_SW}staff__user__first_name"),
            worker_last=F(f"{_SW}staff__user__last_name"),
            worker_username=F(f"{_SW}staff__user__username"),
        )
        .only(*ROW_FIELDS)
        .order_by(
            F("worker_last"),
            F("worker_first"),
            F("worker_id"),
            "rank",
            "due",
            F("child_last"),
            "pk",
        )
    )
    return pairs, listed


def _worker_name(row: Any) -> str:
    """The social worker a team row is under, as the team page heads their rows."""
    return f"{row.worker_first} {row.worker_last}".strip() or str(row.worker_username)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """A manager's line: the children whose social worker reports to me (directly or down the
    line), with their overdue and upcoming obligations, by social worker; paginated (50 rows),
    the counts in SQL.

    Each row is an obligation under one social worker of my line holding the child (usually
    the only one). Those children are mine by the "line" rule of `children_for_user`, so what
    I may see of them is `restriction_filter`."""
    today = timezone.localdate()
    staff = staff_for_user(request.user)
    if staff is None or not staff.roles & TEAM_ROLES:
        raise PermissionDenied
    soon = soon_until(today)
    pairs, listed = _team_listed(staff, today, soon)
    totals = pairs.aggregate(
        overdue=Count("pk", filter=Q(status=Status.OVERDUE), distinct=True),
        soon=Count("pk", filter=Q(status=Status.PENDING), distinct=True),
        children=Count("child_id", distinct=True),
        rows=Count("pk"),
    )
    page = CountedPaginator(listed, ROWS_PER_PAGE, totals["rows"]).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    decorate(rows, today, soon)
    record_page_view(request, what="team.viewed", children=named(shown_in(rows)))
    workers: dict[int, dict[str, Any]] = {}
    for row in rows:
        worker = workers.get(row.worker_id)  # type: ignore[attr-defined]
        if worker is None:
            worker = {"pk": row.worker_id, "name": _worker_name(row), "rows": []}  # type: ignore[attr-defined]
            workers[row.worker_id] = worker  # type: ignore[attr-defined]
        worker["rows"].append(row)
    # Each social worker's numbers, over all pages: one grouped query for those on this page.
    for found in (
        pairs.filter(worker_id__in=list(workers))
        .order_by()
        .values("worker_id")
        .annotate(
            overdue=Count("pk", filter=Q(status=Status.OVERDUE)),
            soon=Count("pk", filter=Q(status=Status.PENDING)),
            children=Count("child_id", distinct=True),
        )
    ):
        workers[found["worker_id"]].update(found)
    return render(
        request,
        "web/team.html",
        {
            "nav": "team",
            "today": today,
            "soon": soon,
            "page": page,
            "workers": list(workers.values()),
            "totals": totals,
            "line_size": len(line_of(staff) - {staff.pk}),
            "soon_days": SOON_WORKING_DAYS,
        },
    )


@login_required
def team_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The team view's rows (every page) as CSV or XLSX, each under its social worker, audited
    naming each child."""
    today = timezone.localdate()
    staff = staff_for_user(request.user)
    if staff is None or not staff.roles & TEAM_ROLES:
        raise PermissionDenied
    soon = soon_until(today)
    _pairs, listed = _team_listed(staff, today, soon)
    return table_download(
        request,
        what="team",
        name=f"team_{today.isoformat()}",
        fmt=fmt,
        sheet="Team",
        columns=("Social worker", *EXPORT_COLUMNS, "Owner"),
        lines=_export_lines(listed, lambda rows: decorate(rows, today, soon), lead=_worker_name),
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: whether the navigation offers the team view (a callable, so that a
    page that does not show it runs no query)."""
    user = request.user
    if not user.is_authenticated:
        return {}

    def nav_team() -> bool:
        staff = staff_for_user(user)
        return staff is not None and bool(staff.roles & TEAM_ROLES)

    return {"nav_team": nav_team}
