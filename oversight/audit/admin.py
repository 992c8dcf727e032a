from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from oversight.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: the audit log is never added to, changed or deleted by hand."""

    list_display = ["at", "user", "action", "child_reference", "path", "ip_address"]
    list_filter = ["action"]
    search_fields = ["child_reference", "user__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
