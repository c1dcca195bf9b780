from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jmappa.audit.services import audit_change, audit_create, snapshot

from .forms import AgencyAdminForm, UserAdminCreationForm, UserAdminForm
from .models import Agency, ApiToken, User
from .services import api_token_revoke


class AuditedAdminMixin:
    """Changes made in the admin land in the audit trail like any other."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            audit_change(actor=request.user, obj=obj, before=before)
        else:
            audit_create(actor=request.user, obj=obj)

    def has_delete_permission(self, request, obj=None):
        # Records are deactivated, never deleted: the audit trail refers to them.
        return False


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = AgencyAdminForm
    list_display = ["name", "kind", "duty_to_cooperate", "spoc", "phone", "secure_email",
                    "is_active"]
    list_filter = ["kind", "duty_to_cooperate", "is_active"]
    search_fields = ["name"]
    list_select_related = ["spoc"]
    autocomplete_fields = ["spoc"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    form = UserAdminForm
    add_form = UserAdminCreationForm
    list_display = ["username", "first_name", "last_name", "agency", "job_title", "grade",
                    "roles", "is_active"]
    list_filter = ["agency", "grade", "is_active", "is_staff"]
    list_select_related = ["agency"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email", "phone"]}),
        ("Agency and role", {"fields": ["agency", "job_title", "grade", "roles"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                                    "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": [
            "username", "first_name", "last_name", "email", "agency", "job_title", "grade",
            "roles", "password1", "password2",
        ]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py api_token`; here they are listed and revoked."""

    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at",
                    "last_used_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "revoked_at",
                       "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token, actor=request.user)
        self.message_user(request, f"{queryset.count()} token(s) revoked.", messages.SUCCESS)
