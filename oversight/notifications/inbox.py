"""A member of staff's inbox: the messages the outbox addressed to them about what others did on
their children and concerns (a response arrived, a notice was issued to them, a significant
change was notified, a reminder), and which of them they have read.

Nothing here decides who is told what: the inbox is the outbox's own rows with this person as
their recipient, so it holds exactly what each action chose to send them (the concern's
addressees in `oversight.cases.holders`, the chair of a change notice, ...). What they queued
themselves is not in it, nor one about a child they may no longer see (moved off the case, a
record since restricted): the same rule as the messages page, `children_for_user`.

- `received(staff)`: their messages, newest first.
- `unread_count(staff)`: how many of them are unread (for the navigation, on every page: the
  unread messages are remembered under the person's inbox version, `oversight.cache`, and the
  access rule is asked only of their few children).
- `mark_read(staff, *, message_ids=None)`: mark some (or all) of their unread messages read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from oversight.cache import data_version
from oversight.cases.access import children_for_user
from oversight.notifications.models import Message

if TYPE_CHECKING:
    from oversight.cases.models import StaffMember


def _addressed(staff: StaffMember) -> QuerySet[Message]:
    """The messages addressed to `staff` that someone else (or Oversight itself) queued."""
    return Message.objects.filter(recipient=staff).filter(
        Q(queued_by__isnull=True) | ~Q(queued_by_id=staff.user_id)
    )


def received(staff: StaffMember) -> QuerySet[Message]:
    """The messages addressed to `staff` that someone else (or Oversight itself, a reminder)
    queued, about no child or a child they may see, newest first."""
    return (
        _addressed(staff)
        .filter(Q(child__isnull=True) | Q(child__in=children_for_user(staff.user)))
        .order_by("-created_at", "-pk")
    )


def unread_count(staff: StaffMember) -> int:
    """`received(staff)`'s unread messages, counted without joining every child the person may
    see (thousands for a service manager, on every page's menu): the unread messages' children
    (remembered under the person's inbox version: no query on a page remembered whole), then
    which of those few they may see (asked afresh: an access may end at any moment)."""
    about_nothing, about = data_version.remember(
        ("unread", staff.pk, data_version.inbox(staff.pk)), lambda: _unread(staff)
    )
    if not about:
        return about_nothing
    children = dict(about)
    seen = children_for_user(staff.user).filter(pk__in=list(children)).values_list("pk", flat=True)
    return about_nothing + sum(children[child] for child in seen)


def _unread(staff: StaffMember) -> tuple[int, tuple[tuple[int, int], ...]]:
    """How many of the unread messages addressed to `staff` are about no child, and how many
    about each child (a tuple: the value is shared by the process's requests)."""
    about: Counter[int | None] = Counter(
        _addressed(staff).filter(read_at__isnull=True).values_list("child_id", flat=True)
    )
    about_nothing = about.pop(None, 0)
    return about_nothing, tuple(sorted((child, n) for child, n in about.items() if child))


def mark_read(staff: StaffMember, *, message_ids: Iterable[int] | None = None) -> int:
    """Mark `staff`'s unread messages of `message_ids` (every one without) read now; another
    person's message is never touched. Returns how many were marked."""
    found = received(staff).filter(read_at__isnull=True)
    if message_ids is not None:
        found = found.filter(pk__in=list(message_ids))
    marked = found.update(read_at=timezone.now())
    data_version.bump_inbox(staff.pk)  # the unread count (`update` sends no signal)
    return marked
