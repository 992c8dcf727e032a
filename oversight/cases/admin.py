from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from oversight.cases.models import (
    AccessGrant,
    Allocation,
    Child,
    Cover,
    DutyRota,
    Event,
    Flag,
    Obligation,
    RetentionReview,
    SiblingGroup,
    SignOnSubject,
    SignOut,
    Span,
    StaffMember,
    StaffRole,
    Team,
)


@admin.register(SiblingGroup)
class SiblingGroupAdmin(admin.ModelAdmin):
    search_fields = ["reference"]


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "last_name",
        "first_name",
        "date_of_birth",
        "expected_date_of_delivery",
    ]
    search_fields = ["reference", "last_name", "first_name"]
    raw_id_fields = ["sibling_group"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "team"]
    list_filter = ["team", "role_set__role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    raw_id_fields = ["user", "line_manager"]
    inlines = [StaffRoleInline]


class ActionsOnlyAdmin(admin.ModelAdmin):
    """View only: these rows change through their actions (`oversight.cases.actions`,
    `oversight.cases.allocations`), which write the audit row and recompute the child's
    obligations in the same transaction; an edit here would do neither."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Allocation)
class AllocationAdmin(ActionsOnlyAdmin):
    list_display = ["child", "staff", "role", "starts", "ends"]
    list_filter = ["role"]
    search_fields = ["child__reference", "staff__user__username"]
    raw_id_fields = ["child", "staff"]


@admin.register(Event)
class EventAdmin(ActionsOnlyAdmin):
    list_display = ["child", "type", "date", "time", "recorded_at"]
    list_filter = ["type"]
    search_fields = ["child__reference"]
    raw_id_fields = ["child", "recorded_by"]
    date_hierarchy = "date"


@admin.register(DutyRota)
class DutyRotaAdmin(admin.ModelAdmin):
    list_display = ["date", "staff"]
    raw_id_fields = ["staff", "set_by"]
    date_hierarchy = "date"


@admin.register(Cover)
class CoverAdmin(admin.ModelAdmin):
    list_display = ["absent", "covering", "starts", "ends"]
    raw_id_fields = ["absent", "covering", "granted_by"]


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    """Read only: a break-glass opening is made on its page, with its reason, and audited."""

    list_display = ["date", "staff", "child", "purpose"]
    raw_id_fields = ["child", "staff"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DerivedAdmin(admin.ModelAdmin):
    """Read only: obligations, flags and spans are the engine's answer, replaced on every change of the
    child's chronology and every night (`oversight.cases.obligations`)."""

    raw_id_fields = ["child"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Obligation)
class ObligationAdmin(DerivedAdmin):
    list_display = ["child", "code", "due", "status", "met_on", "owner_roles"]
    list_filter = ["status", "category"]
    search_fields = ["child__reference", "code"]
    raw_id_fields = ["child", "event", "owner_staff"]


@admin.register(Flag)
class FlagAdmin(DerivedAdmin):
    list_display = ["child", "code", "as_of"]
    search_fields = ["child__reference", "code"]


@admin.register(Span)
class SpanAdmin(DerivedAdmin):
    list_display = ["child", "kind", "number", "start", "end"]
    list_filter = ["kind"]
    search_fields = ["child__reference"]


@admin.register(SignOut)
class SignOutAdmin(admin.ModelAdmin):
    """Who signed out everywhere, and when (read-only: signing out is the person's own page)."""

    list_display = ["user", "generation", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SignOnSubject)
class SignOnSubjectAdmin(admin.ModelAdmin):
    """Who the identity provider says each user is (read-only: kept at each single sign-on, read
    by the provider's back-channel logout)."""

    list_display = ["user", "issuer", "subject", "signed_on_at"]
    search_fields = ["user__username", "subject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RetentionReview)
class RetentionReviewAdmin(admin.ModelAdmin):
    """Read only: the nightly run opens a review and the Records to review page closes it, both
    audited."""

    list_display = [
        "child",
        "last_event_on",
        "due_on",
        "flagged_on",
        "decision",
        "decided_on",
        "decided_by",
    ]
    raw_id_fields = ["child", "decided_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
