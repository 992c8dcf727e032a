from django.contrib import admin

from oversight.escalations.models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """The council's taxonomy of themes: add, relabel, reorder, retire (never delete: reports
    count by theme)."""

    list_display = ["label", "code", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
