from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only (the database enforces it too)."""

    list_display = ["occurred_at", "actor_username", "actor_agency", "channel", "action",
                    "object_type", "object_id", "case_id"]
    list_filter = ["action", "channel", "object_type"]
    search_fields = ["actor_username", "object_id", "object_repr"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
