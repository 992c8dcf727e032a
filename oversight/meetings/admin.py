from django.contrib import admin

from oversight.meetings.models import Document, Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("child", "kind", "status", "date", "outcome")
    list_filter = ("kind", "status")
    raw_id_fields = ("child", "chair", "about", "created_by")
    readonly_fields = ("event_ids", "details", "typed")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("meeting", "type", "name", "size", "uploaded_at")
    raw_id_fields = ("meeting", "uploaded_by")
