"""A complaint about a conference recorded before its deadlines went to the conference's chair
(`record_complaint` now names the chair as the `complaint_received` event's `owner`) gets that
owner: its chair as the complaint recorded it (`Complaint.chair`, the first point of contact:
Camden, seed 000 Appendix 1, 4.12.2). Only where `record_complaint` would have named one today:
the complaint is about a conference and its recorded chair is the conference's chair (a
conference without a chair sent the complaint to the child's IRO, and no owner is named). Any
other complaint, and an event that already names an owner, is left as it is: with no owner the
pack's `otherwise` roles (the child's IRO) own its deadlines, as before.

The children's obligations are not recomputed here: the next `oversight nightly` recomputes every
child and moves the deadlines to the chair's caseload (no migration of the project recomputes)."""

from django.db import migrations
from django.db.models import F


def name_the_chair_as_owner(apps, schema_editor):
    """Each `complaint_received` event without an `owner` whose complaint (its `complaint`,
    `complaint-<pk>`, of the same child) is about a conference chaired by the complaint's chair:
    `owner` = that chair's username. Returns how many events were changed."""
    Event = apps.get_model("cases", "Event")
    Complaint = apps.get_model("complaints", "Complaint")
    chairs = {
        f"complaint-{pk}": (child, username)
        for pk, child, username in Complaint.objects.filter(
            chair__isnull=False, meeting__chair=F("chair")
        ).values_list("pk", "child_id", "chair__user__username")
    }
    changed = []
    events = Event.objects.filter(type="complaint_received", data__complaint__in=list(chairs))
    for event in events.only("pk", "child_id", "data") if chairs else ():
        data = event.data if isinstance(event.data, dict) else {}
        found = chairs.get(str(data.get("complaint") or ""))
        if data.get("owner") or found is None or found[0] != event.child_id:
            continue
        event.data = {**data, "owner": found[1]}
        changed.append(event)
    Event.objects.bulk_update(changed, ["data"], batch_size=500)
    return len(changed)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_complaints_log"), ("cases", "0018_spans")]

    operations = [migrations.RunPython(name_the_chair_as_owner, migrations.RunPython.noop)]
