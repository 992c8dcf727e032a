"""Children, staff, teams, allocations and the chronology of events.

Plans, episodes and placements are the timescales engine's, placed from the events: stored only as
derived data beside the obligations (`Span`), never recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from oversight.cases.constants import (
    EventType,
    ObligationCategory,
    RetentionDecision,
    Role,
    TeamKind,
)
from oversight.cases.formatting import short_day


def validate_nhs_number(value: str) -> None:
    """An NHS number is ten digits whose last is the modulus 11 check digit of the first nine."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError("An NHS number is 10 digits")
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        raise ValidationError("This NHS number's check digit is wrong")


class SiblingGroup(models.Model):
    reference = models.CharField(max_length=40, unique=True)

    def __str__(self) -> str:
        return self.reference


class Child(models.Model):
    """A child known to the service, born or unborn (a pre-birth conference has an expected date)."""

    reference = models.CharField("council reference", max_length=40, unique=True)
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    sibling_group = models.ForeignKey(
        SiblingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # A looked-after young person who is the parent of this looked-after child (the IRO Handbook:
    # the two have separate IROs; seed 002, section 5).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="offspring"
    )
    # A restricted record (a staff member's child, say): only the named people see its content.
    restricted = models.BooleanField(default=False, db_default=False)
    restricted_contact = models.ForeignKey(
        "StaffMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whom to ask about a restricted record",
    )
    named_staff = models.ManyToManyField(  # type: ignore[var-annotated]
        "StaffMember", blank=True, related_name="restricted_children"
    )

    class Meta:
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # The few restricted records, which every caseload's scope leaves out unless named.
            models.Index(
                fields=["id"], condition=models.Q(restricted=True), name="child_restricted"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=False)
                | models.Q(expected_date_of_delivery__isnull=False),
                name="child_born_or_expected",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.reference})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or "Unborn child"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=TeamKind.choices)
    # The team's named IRO (Camden: each team has a named child protection IRO), suggested first.
    named_iro = models.ForeignKey(
        "StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="named_for"
    )

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A person who works in the service: one Django user, one team, a line manager, a set of roles."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        db_default=Decimal("1.00"),
    )

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_set.all()}


class StaffRole(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="role_set")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "role"], name="one_row_per_role")]

    def __str__(self) -> str:
        return f"{self.staff}: {self.get_role_display()}"


class Allocation(models.Model):
    """Who holds which role for which child, from one date until another (open while `ends` is empty)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="allocations")
    role = models.CharField(max_length=40, choices=Role.choices)
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["staff", "ends"]),
            models.Index(fields=["child", "ends"]),
        ]

    def __str__(self) -> str:
        return f"{self.staff} as {self.get_role_display()} for {self.child.reference}"


class Event(models.Model):
    """One entry of a child's chronology: the typed columns the engine reads, JSON for the rest."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40, choices=EventType.choices)
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["child", "date"]),
            # The reports count a period's events of some types (`reports.figures.events_in`),
            # and the bookings that brought a meeting forward (a year's bookings are a fifth of
            # its events; a few of them were brought forward).
            models.Index(fields=["type", "date"]),
            models.Index(
                fields=["date"],
                condition=models.Q(type=EventType.MEETING_BOOKED, data__brought_forward=True),
                name="event_brought_forward",
            ),
        ]
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on {short_day(self.date)}"


# The columns of an Event that `engine_event` takes, in its order: what a query of a chronology
# for the engine selects (`values_list(*ENGINE_COLUMNS)`), with no model instance per row.
ENGINE_COLUMNS = ("id", "type", "date", "time", "data")


def engine_event(
    pk: int, type_: str, day: dt.date, at: dt.time | None, data: dict[str, Any]
) -> dict[str, Any]:
    """An event row in the timescales contract's shape, with its id as the extra field `event`.

    The one way an Event becomes engine input (obligations and plans alike). The contract hands
    unknown fields back in `trigger`, which ties each obligation to the event that triggered it;
    the event's own `data` cannot hide the id."""
    event: dict[str, Any] = {"type": type_, "date": day.isoformat()}
    if at is not None:
        event["time"] = at.strftime("%H:%M")
    event.update(data)
    event["event"] = pk
    return event


class DutyRota(models.Model):
    """Who is the duty IRO on which day (Stockport: consultations go to the duty IRO)."""

    date = models.DateField(unique=True)
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="duty_days")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.staff} on duty {short_day(self.date)}"


class Cover(models.Model):
    """`covering` holds `absent`'s caseload from `starts` to `ends` (closed interval, both days
    count). Leicestershire: the line manager acts in the IRO's absence so timescales are met."""

    absent = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="covered_by")
    covering = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="covering")
    starts = models.DateField()
    ends = models.DateField()
    # When the cover stops within its last day (the absent IRO back at 14:00); empty: at its end.
    ends_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["covering", "starts", "ends"])]

    def __str__(self) -> str:
        return f"{self.covering} covers {self.absent} {self.starts} to {self.ends}"


class AccessGrant(models.Model):
    """A "break-glass" opening of one child's record by the duty IRO or a consulted IRO, with the
    stated reason, valid on `date` only (until `ends_at` when that is within the day)."""

    class Purpose(models.TextChoices):
        DUTY = "duty", "Duty IRO"
        CONSULTATION = "consultation", "Consultation by a social worker"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="access_grants")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="access_grants")
    date = models.DateField()
    ends_at = models.DateTimeField(null=True, blank=True)  # empty: at the end of `date`
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    reason = models.CharField(max_length=500)
    granted_at = models.DateTimeField()
    # When and by whom the opening was approved: at once (`granted_at`) unless the pack requires
    # an IRO team manager's approval first (`break_glass.approval_required`); empty until then,
    # and the record stays closed.
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["staff", "date"])]

    def __str__(self) -> str:
        return f"{self.staff} opened {self.child.reference} on {short_day(self.date)}"


class Obligation(models.Model):
    """One obligation of a child, as the timescales engine derived it from the child's events
    under the active policy pack as of `as_of`. Derived data: `oversight.cases.obligations`
    replaces a child's rows whenever its events change, and every night for the new date."""

    class Status(models.TextChoices):
        OVERDUE = "overdue", "Overdue"
        PENDING = "pending", "Due"
        MET = "met", "Met"

    Category = ObligationCategory

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="obligations")
    code = models.CharField(max_length=60)
    category = models.CharField(max_length=20, choices=Category.choices)
    # The triggering event (the engine hands back its id in `trigger`), and the trigger as given.
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="obligations"
    )
    trigger_type = models.CharField(max_length=40)
    trigger_date = models.DateField()
    trigger = models.JSONField(default=dict)
    # "plan", "episode" or "" for an obligation that belongs to neither.
    belongs_to = models.CharField(max_length=10, blank=True)
    due = models.DateField()
    # For an hours rule: the due moment (Europe/London wall clock stored as an aware datetime).
    due_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    met_on = models.DateField(null=True, blank=True)
    on_time = models.BooleanField(null=True, blank=True)
    # Who acts on it, from the pack's `owners` table (with `addressee` resolved to the addressees
    # of the concern's stage and `action_owner` to the action's named owner): the roles, stored
    # as "|iro|social_worker|" so that a list is filtered in SQL (`owner_roles__contains`), and,
    # for an action whose owner is a named person, that person.
    owner_roles = models.CharField(max_length=300, blank=True)
    owner_staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who watches it (roles), for the owner column.
    watchers = models.JSONField(default=list, blank=True)
    as_of = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["child", "status", "due"]),
            models.Index(fields=["status", "due"]),
            # The reports count the obligations of some codes met, or due, in a period: on
            # PostgreSQL from the index alone, with what the counts read of each row included
            # (a year's obligations at 20,000 children: 14,000 pages of the table not read).
            models.Index(
                fields=["code", "met_on"],
                include=["status", "on_time", "trigger_date", "child"],
                name="obligation_code_met_on",
            ),
            models.Index(
                fields=["code", "due"],
                include=["status", "on_time", "child"],
                name="obligation_code_due",
            ),
            # The API's caseload list (`/api/v1/obligations`) pages by id after a cursor, filtered
            # by status or code: read in id order from these, it stops at a page's end, where the
            # primary key was walked past every row of another status (by hand, 10,000 children:
            # the overdue, 17.6 ms to 0.9 ms; a rare code, 4.9 ms to 0.8 ms).
            models.Index(fields=["status", "id"], name="obligation_status_id"),
            models.Index(fields=["code", "id"], name="obligation_code_id"),
        ]

    def __str__(self) -> str:
        return f"{self.code} for child {self.child_id} due {short_day(self.due)} ({self.status})"


class Flag(models.Model):
    """A standing condition of a child (e.g. `cp.support_challenge_panel`), derived like
    obligations."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=60)
    reason = models.TextField()
    as_of = models.DateField()

    def __str__(self) -> str:
        return f"{self.code} for child {self.child_id}"


class Span(models.Model):
    """A child protection plan, a looked-after episode or a placement as the timescales engine
    placed it from the child's whole chronology: derived data, replaced with the child's
    obligations (`oversight.cases.obligations`), so that the reports count a period's plans and
    the children placed on a day in SQL rather than run the engine over every child's
    chronology for each figure (issue 15). Plans and episodes are closed intervals [start, end],
    placements [start, end): as `cases.chronology` reads the engine's."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Child protection plan"
        EPISODE = "episode", "Looked-after episode"
        PLACEMENT = "placement", "Placement"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="spans")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField()  # the child's first of its kind is 0
    start = models.DateField()
    end = models.DateField(null=True, blank=True)  # empty while open
    # A placement's details: the event that began it as the engine was given it (as
    # `Obligation.trigger` keeps its trigger); empty for a plan or an episode.
    details = models.JSONField(default=dict, blank=True)
    as_of = models.DateField()

    class Meta:
        indexes = [
            # The reports' plans begun or ended in a period, and the placements open on a day.
            models.Index(fields=["kind", "start"]),
            models.Index(fields=["kind", "end"]),
            models.Index(fields=["child", "kind", "number"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number} of child {self.child_id} from {self.start}"


class SignOut(models.Model):
    """How many times a user has signed out everywhere: a session signed in under an earlier
    count has ended, on every host (`oversight.cases.sessions`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    generation = models.PositiveIntegerField(default=0)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} signed out everywhere ({self.generation}) at {self.at:%Y-%m-%d %H:%M}"


class SignOnSubject(models.Model):
    """Who the council's identity provider says a user is (its issuer and the ID token's `sub`),
    and the provider's session of their last sign-on (`sid`), kept at each single sign-on so that
    the provider's back-channel logout, which names only those, can end the user's sessions
    (`oversight.cases.sign_on.subject_user`)."""

    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sid = models.CharField(max_length=255, blank=True)
    signed_on_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class RetentionReview(models.Model):
    """A child's records come up for review under the policy pack's `retention` (flagged by the
    nightly run), open until the safeguarding service manager records a decision: keep (the next
    review the pack's years later, `next_review_on`) or mark for disposal by the council's records
    manager. Oversight never deletes a record itself, and never flags a marked one again."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="retention_reviews")
    last_event_on = models.DateField(help_text="The child's last event when it was flagged")
    due_on = models.DateField()
    flagged_on = models.DateField()
    decision = models.CharField(max_length=8, choices=RetentionDecision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    next_review_on = models.DateField(null=True, blank=True, help_text="Kept: the next review")
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(decided_on__isnull=True),
                name="one_open_retention_review",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_on__isnull=True, decision="")
                | models.Q(decided_on__isnull=False, decision="keep", next_review_on__isnull=False)
                | models.Q(
                    decided_on__isnull=False, decision="dispose", next_review_on__isnull=True
                ),
                name="retention_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention review of child {self.child_id}, due {self.due_on}"
