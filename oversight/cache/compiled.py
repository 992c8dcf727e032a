"""Querysets compiled to SQL once and run many times with one value changed (issue 6,
performance: on the busiest pages, building and compiling a query costs several times more than
running it).

Build the queryset with `MARK` where the changing value goes (a child's id, say), compile it with
`compile_marked`, keep the result (`oversight.cache.data_version.remember`), and `run` it with the
value. Rows come back as model instances, through the model fields' own conversions; annotations
become attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

# An id no row has: it marks the changing value's place among the compiled query's parameters.
MARK = -7_300_000_001


@dataclass(frozen=True)
class Compiled[M: Model]:
    model: type[M]
    sql: str
    params: tuple[Any, ...]
    place: int

    def run(self, value: int) -> list[M]:
        """The rows of the query with `value` in place of `MARK`."""
        bound = [*self.params]
        bound[self.place] = value
        return list(self.model._default_manager.raw(self.sql, bound))


def compile_marked[M: Model](queryset: QuerySet[M]) -> Compiled[M]:
    """`queryset` (built with `MARK` once among its parameters) compiled to SQL."""
    sql, params = queryset.query.sql_with_params()
    (place,) = [i for i, value in enumerate(params) if value == MARK]
    return Compiled(queryset.model, sql, tuple(params), place)
