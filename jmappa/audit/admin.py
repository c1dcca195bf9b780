from django.contrib import admin

from jmappa import access

from .models import AuditEvent
from .selectors import audit_events


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only (the database enforces it too). Read by whom the
    audit trail page is for (access.can_view_audit_trail), never by every staff account,
    and through the page's selector: an event's changed values are the record's own."""

    list_display = ["occurred_at", "actor_username", "actor_agency", "channel", "action",
                    "object_type", "object_id", "case_id"]
    list_filter = ["action", "channel", "object_type"]
    search_fields = ["actor_username", "object_id", "object_repr"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]

    def get_queryset(self, request):
        # The trail as the reader may read it: no event of a case or referral hidden from
        # them (a superuser reads all).
        return audit_events(user=request.user).select_related("actor")

    def has_module_permission(self, request):
        return access.can_view_audit_trail(request.user) and super().has_module_permission(
            request)

    def has_view_permission(self, request, obj=None):
        return access.can_view_audit_trail(request.user) and super().has_view_permission(
            request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
