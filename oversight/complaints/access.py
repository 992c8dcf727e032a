"""The one way a page fetches a complaint: through its child's access."""

from __future__ import annotations

from django.http import Http404

from oversight.cases.access import User, child_for_user, real_id
from oversight.complaints.models import Complaint


def complaint_for_user(user: User, complaint_id: int) -> Complaint:
    """Complaint `complaint_id` if `user` may see its child (`child_for_user`); otherwise Http404
    (also when there is no such complaint)."""
    complaint = (
        Complaint.objects.select_related("chair__user", "meeting", "concern")
        .filter(pk=real_id(complaint_id, "complaint"))
        .first()
    )
    if complaint is None:  # no such complaint
        raise Http404("No such complaint")
    complaint.child = child_for_user(user, complaint.child_id)  # outside scope: 404
    return complaint
