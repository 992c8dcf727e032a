"""`oversight signins`: one demo sign-in per role, read from the database.

Every demo user's password is `OVERSIGHT_DEMO_PASSWORD` (default "oversight-demo"); usernames are
lowercase `firstname.lastname`. For each role the command picks the active member of staff holding
it with the most open allocations (then the lowest id), so an IRO or social worker shown here has
children to look at."""

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
        for role in Role:
            staff = (
                StaffMember.objects.filter(role_set__role=role, user__is_active=True)
                .annotate(
                    open_allocations=Count(
                        "allocations",
                        filter=Q(allocations__starts__lte=today)
                        & (Q(allocations__ends__isnull=True) | Q(allocations__ends__gte=today)),
                    )
                )
                .select_related("user")
                .order_by("-open_allocations", "pk")
                .first()
            )
            rows.append((role.label, staff.user.get_username() if staff else ""))
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
