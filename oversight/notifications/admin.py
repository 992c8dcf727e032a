from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from oversight.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    """The outbox, read-only: messages are written by `queue_message` and the worker alone."""

    list_display = ["created_at", "subject", "to_email", "child", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["message_id", "to_email", "subject", "child__reference"]
    date_hierarchy = "created_at"
    list_select_related = ["child"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False
