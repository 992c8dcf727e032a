"""What the meetings room adds when another room records an event.

A child on a child protection plan who becomes looked after prompts the chair to consider the
plan's discharge (issue 7, section 5): when someone records `lac_start` in Oversight for a child
whose plan is open, an action for the chair (`action_set`, owner the IRO, due the next working
day, as a significant change is) goes on the chronology through `oversight.cases.actions`.
Events with no `recorded_by` (imports, the demo, test factories) prompt nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from oversight.cases.constants import EventType, Role
from oversight.cases.models import Event


@receiver(post_save, sender=Event, dispatch_uid="meetings.plan_discharge_prompt")
def prompt_plan_discharge(sender: Any, instance: Event, created: bool, **kwargs: Any) -> None:
    if not created or instance.type != EventType.LAC_START or instance.recorded_by is None:
        return
    from oversight.cases import actions as chronology
    from oversight.cases.allocations import plan_icpc
    from oversight.cases.obligations import active_pack
    from oversight.timescales.engine import calendar_for

    child = instance.child
    icpc = plan_icpc(child)
    if icpc is None or icpc.date > instance.date:
        return
    cal = calendar_for(active_pack().policy)
    due = dt.date.fromordinal(cal.add_working_days(instance.date.toordinal(), 1))
    chronology.record_event(
        child,
        type=EventType.ACTION_SET,
        date=instance.date,
        data={
            "action": f"lac{instance.pk}-discharge",
            "text": (
                "On a child protection plan and now looked after: consider the plan's "
                "discharge (bring the review conference forward?)"
            ),
            "due": due.isoformat(),
            "owner": Role.IRO.value,
        },
        acting_user=instance.recorded_by,
    )
