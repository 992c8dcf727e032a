from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from oversight.audit.models import AuditEntry, ChildShown, RecordViewer


class ReadOnlyAdmin(admin.ModelAdmin):
    """Never added to, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log: append-only."""

    list_display = ["at", "user", "action", "child_reference", "path", "ip_address"]
    list_filter = ["action"]
    search_fields = ["child_reference", "user__username"]
    date_hierarchy = "at"


@admin.register(RecordViewer)
class RecordViewerAdmin(ReadOnlyAdmin):
    """Kept by each view of a record (`record_child_view`)."""

    list_display = ["child_id", "user", "first_seen", "last_seen", "times"]
    search_fields = ["user__username"]


@admin.register(ChildShown)
class ChildShownAdmin(ReadOnlyAdmin):
    """The children each list page or export named (`record_page_view`, `record_export`)."""

    list_display = ["entry", "child_reference"]
    search_fields = ["child_reference"]
    raw_id_fields = ["entry"]
