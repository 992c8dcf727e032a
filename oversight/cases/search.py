"""Finding children by name, council reference or NHS number (the children page, through
`ChildSearchForm`)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from oversight.cases.models import Child

NHS_NUMBER_DIGITS = 10


def nhs_number_typed(query: str) -> str | None:
    """The digits of `query` when it is typed as an NHS number (ten digits, spaces allowed:
    "999 000 0018"), else None. Whether its check digit is right is
    `oversight.cases.models.validate_nhs_number`'s to say."""
    digits = query.replace(" ", "")
    return digits if len(digits) == NHS_NUMBER_DIGITS and digits.isdigit() else None


def matching(children: QuerySet[Child], query: str) -> QuerySet[Child]:
    """The children of `children` that `query` finds: an NHS number finds the child with that
    number (or a reference beginning with it); otherwise every word must begin a reference or
    be part of a first or last name."""
    nhs = nhs_number_typed(query)
    if nhs is not None:
        return children.filter(Q(nhs_number=nhs) | Q(reference__istartswith=nhs))
    for term in query.split():
        children = children.filter(
            Q(reference__istartswith=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    return children
