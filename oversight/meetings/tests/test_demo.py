"""The demo council's meeting records (`oversight.meetings.demo`, run by `oversight demo`) as
Walsall's IRO reads them: the review held without a meeting for a child placed until 18 for more
than a year, and the day a review must meet by.

Built under Walsall's pack as of Mon 23 November 2026 (seed 1, 200 children): the child's reviews
were held on Mon 1 September 2025, Tue 25 November 2025 and Fri 22 May 2026 with a meeting, and
on Fri 20 November 2026 without one."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from oversight.audit.models import AuditEntry
from oversight.cases.models import Allocation
from oversight.demo import Command
from oversight.meetings.models import Meeting
from oversight.meetings.tests.conftest import freeze

pytestmark = pytest.mark.django_db


def test_walsalls_iro_reads_the_demos_review_without_a_meeting(client, settings, use_pack):
    use_pack("walsall")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command(Command(), "--children", "200", "--seed", "1", "--as-of", "2026-11-23", stdout=out)
    assert "A looked-after review held without a meeting on Fri 20 Nov 2026" in out.getvalue()
    [review] = Meeting.objects.filter(details__without_meeting=True)
    assert review.date == dt.date(2026, 11, 20)
    iro = Allocation.objects.get(child=review.child, role="iro", ends__isnull=True).staff
    client.force_login(iro.user)
    path = f"/children/{review.child_id}/meetings/{review.pk}/"
    with freeze(dt.date(2026, 11, 23)):
        page = client.get(path)
    assert page.status_code == 200
    # 12 months after the review with a meeting on Fri 22 May 2026
    assert "so the next review needs one, held by <strong>Sat 22 May 2027</strong>" in page.text
    assert "Long-term placement over a year: review without a meeting" in page.text
    assert AuditEntry.objects.filter(child_id=review.child_id, path=path).exists()
