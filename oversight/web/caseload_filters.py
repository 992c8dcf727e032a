"""My caseload's filters and sort order as a `django_filters.FilterSet`: each query parameter
validated against its list of choices (anything else is its default, so a cache key holds only
known values: `chosen_filters`), and applied to the obligations in SQL.

    whose   1 (mine to act on, the default) or 0 (everyone's, for the children I hold)
    type    a `TYPE_FILTERS` key, or all
    status  a `STATUS_FILTERS` key (`open`, the default: overdue or due)
    sort    a `SORTS` key: `urgency` (overdue first, the default), `child`, `obligation`, `due`,
            each descending with a leading `-`
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import django_filters
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy

from oversight.cases.labels import OBLIGATIONS, TYPE_FILTERS
from oversight.cases.models import Obligation

Status = Obligation.Status
SOON_WORKING_DAYS = 10

STATUS_FILTERS = {
    "open": "Overdue or due",
    "overdue": "Overdue",
    "soon": f"Due in the next {SOON_WORKING_DAYS} working days",
    "later": "Due later",
    "met": "Met",
    "all": "All",
}
WHOSE = {"1": "Mine to act on", "0": "Everyone's, for the children I hold"}
# The sortable columns (the query's `sort`, `-` first for descending), and the default.
SORTS = {
    "urgency": "Urgency",
    "child": "Child",
    "obligation": "Obligation",
    "due": "Due",
}
DEFAULTS = {"mine": "1", "type": "", "status": "open", "sort": "urgency"}


def rank(soon: dt.date) -> Case:
    """Overdue first, then due in the next 10 working days, then the rest, then met."""
    return Case(
        When(status=Status.OVERDUE, then=0),
        When(status=Status.PENDING, due__lte=soon, then=1),
        When(status=Status.PENDING, then=2),
        default=3,
        output_field=IntegerField(),
    )


def status_q(key: str, soon: dt.date) -> Q:
    return {
        "open": Q(status__in=[Status.OVERDUE, Status.PENDING]),
        "overdue": Q(status=Status.OVERDUE),
        "soon": Q(status=Status.PENDING, due__lte=soon),
        "later": Q(status=Status.PENDING, due__gt=soon),
        "met": Q(status=Status.MET),
        "all": Q(),
    }[key]


def _label_order() -> Case:
    """An obligation's words, for sorting by them (a pack's own code: by its code)."""
    return Case(
        *(When(code=code, then=Value(words)) for code, (words, _c) in sorted(OBLIGATIONS.items())),
        default=F("code"),
    )


def _ordering(key: str, soon: dt.date) -> list[Any]:
    """The ORDER BY of sort `key`: its column, then urgency, the due date, the child and the id
    so that every page of the list is stable."""
    descending = key.startswith("-")
    columns: dict[str, list[Any]] = {
        "urgency": [rank(soon)],
        "child": [F("child_last"), F("child_first")],
        "obligation": [_label_order()],
        "due": [F("due"), F("due_at")],
    }
    column = columns[key.lstrip("-")]
    first: list[OrderBy] = [
        c.desc(nulls_last=True) if descending else c.asc(nulls_last=True) for c in column
    ]
    return [*first, rank(soon), "due", F("due_at").asc(nulls_last=True), "child_last", "pk"]


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


class CaseloadFilter(django_filters.FilterSet):
    """`CaseloadFilter(chosen_filters(request.GET), mine=..., soon=...)`: `counted` and `listed` the
    obligations, `form` the filters as the page shows them."""

    mine = django_filters.ChoiceFilter(
        label="Whose", choices=_choices(WHOSE), method="by_whose", empty_label=None
    )
    type = django_filters.ChoiceFilter(
        label="Type",
        choices=[(k, label) for k, (label, _categories) in TYPE_FILTERS.items()],
        method="by_type",
        empty_label="All types",
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=_choices(STATUS_FILTERS), method="by_status", empty_label=None
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(f"{d}{k}", label) for k, label in SORTS.items() for d in ("", "-")],
        method="by_sort",
        empty_label=None,
    )

    class Meta:
        model = Obligation
        fields: list[str] = []

    def __init__(self, data: Any, *, mine: Q | None = None, soon: dt.date | None = None) -> None:
        super().__init__(data, queryset=Obligation.objects.none())
        self.mine_q = mine
        self.soon = soon

    def apply(self, found: QuerySet[Obligation], *names: str) -> QuerySet[Obligation]:
        """`found` through the filters `names`, with the chosen values."""
        values = chosen_filters(self.data)
        for name in names:
            found = self.filters[name].filter(found, values[name])
        return found

    def counted(self, found: QuerySet[Obligation]) -> QuerySet[Obligation]:
        """What the counts are over: whose and type, every status."""
        return self.apply(found, "mine", "type")

    def listed(self, found: QuerySet[Obligation]) -> QuerySet[Obligation]:
        """The rows: whose, type and status, in the chosen order."""
        return self.apply(found, "mine", "type", "status", "sort")

    def by_whose(self, found: QuerySet[Obligation], name: str, value: str) -> QuerySet[Obligation]:
        return found.filter(self.mine_q) if value == "1" and self.mine_q is not None else found

    def by_type(self, found: QuerySet[Obligation], name: str, value: str) -> QuerySet[Obligation]:
        return found.filter(category__in=TYPE_FILTERS[value][1]) if value else found

    def by_status(self, found: QuerySet[Obligation], name: str, value: str) -> QuerySet[Obligation]:
        assert self.soon is not None
        return found.filter(status_q(value, self.soon))

    def by_sort(self, found: QuerySet[Obligation], name: str, value: str) -> QuerySet[Obligation]:
        assert self.soon is not None
        return found.annotate(rank=rank(self.soon)).order_by(*_ordering(value, self.soon))


# Each filter's values, from its own choices (the type's "" is its default, all types).
_VALID = {
    name: frozenset(
        str(value) for value, _label in CaseloadFilter.base_filters[name].extra["choices"]
    )
    for name in DEFAULTS
}


def chosen_filters(query: Mapping[str, Any]) -> dict[str, str]:
    """Each filter's value: as `query` (a request's GET) gives it when on its list, else its
    default. Read against the filters' choices without building the `FilterSet` or its form
    (which deep-copy every field and choice): My caseload asks on every request, the remembered
    page's too, to key it."""
    return {
        name: value if (value := query.get(name)) in _VALID[name] else default
        for name, default in DEFAULTS.items()
    }
