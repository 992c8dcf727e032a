"""`oversight signins`: one demo sign-in per role, read from the database.

Every demo user's password is `OVERSIGHT_DEMO_PASSWORD` (default "oversight-demo"); usernames are
lowercase `firstname.lastname`. For each role the command picks an active member of staff holding
it: one with as few other roles as possible (so the sign-in shows what that role sees), then the
most open allocations (so an IRO or social worker shown here has children), then the lowest id."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from django.utils import timezone

from oversight.cases.constants import Role
from oversight.cases.models import StaffMember


class Command(BaseCommand):
    help = "Print one demo sign-in (username and password) for each role."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        password = settings.OVERSIGHT_DEMO_PASSWORD
        rows: list[tuple[str, str]] = []
        open_today = Q(allocations__starts__lte=today) & (
            Q(allocations__ends__isnull=True) | Q(allocations__ends__gte=today)
        )
        staff = list(
            StaffMember.objects.filter(user__is_active=True)
            .annotate(open_allocations=Count("allocations", filter=open_today))
            .select_related("user")
            .prefetch_related("role_set")
            .order_by("pk")
        )
        for role in Role:
            holders = [s for s in staff if role in s.roles]
            best = min(
                holders,
                key=lambda s: (len(s.roles), -s.open_allocations, s.pk),  # type: ignore[attr-defined]
                default=None,
            )
            rows.append((role.label, best.user.get_username() if best else ""))
        if not any(username for _, username in rows):
            self.stdout.write("No staff yet: create the demo council with `oversight demo` first.")
            return
        width = max(len(label) for label, _ in rows)
        self.stdout.write(f"Demo sign-ins, one per role (every password: {password})")
        self.stdout.write(f"  {'Role':<{width}}  {'Username':<28}  Password")
        for label, username in rows:
            if username:
                self.stdout.write(f"  {label:<{width}}  {username:<28}  {password}")
            else:
                self.stdout.write(f"  {label:<{width}}  (nobody holds this role)")
