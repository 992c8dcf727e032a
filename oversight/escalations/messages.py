"""The emails of a concern, from templates (`templates/escalations/messages/NAME.txt`).

Each message is a template as GOV.UK Notify keeps one: a subject and a body, filled in from a few
named values. Every template extends `_message.txt`, which puts the child's reference after the
subject and ends the body with the link to the escalation record; a message carries that link
and the few facts its template names, never the rest of the case. Plain text: nothing is
escaped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template import Context, engines

from oversight.cases.holders import Person
from oversight.escalations.models import Concern
from oversight.notifications.actions import queue_message
from oversight.notifications.rules import link


def render(name: str, concern: Concern, **values: Any) -> tuple[str, str]:
    """Message `name` about `concern` as (subject, body): the rendered template's first line and
    the rest."""
    template = engines["django"].engine.get_template(f"escalations/messages/{name}.txt")  # type: ignore[attr-defined]
    context = {"concern": concern, "child": concern.child, "link": link(f"/concerns/{concern.pk}/")}
    text = template.render(Context({**context, **values}, autoescape=False))
    subject, _, body = text.partition("\n")
    return subject, body


def tell(
    concern: Concern, people: Sequence[Person], name: str, acting_user: Any, **values: Any
) -> None:
    """Message `name` (see `render`) to each person with an email address, through the outbox
    (sent after the caller's transaction commits)."""
    subject, body = render(name, concern, **values)
    for person in people:
        if not person.email:
            continue
        queue_message(
            to=person.staff if person.staff is not None else person.email,
            subject=subject,
            body=body,
            child=concern.child,
            acting_user=acting_user,
        )
