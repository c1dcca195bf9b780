"""The Django admin, for superusers only.

Everything the Co-ordinator and the Administrators keep (people, agencies, API tokens,
lock-outs) is in the application, under its rules (jmappa/access.py) and audited; the admin
site answers to an active superuser alone, whatever staff flag or model permission an
account holds.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    site_header = "JMAPPA Case Manager administration"
    site_title = "JMAPPA administration"

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_superuser)


class SuperuserAdminConfig(AdminConfig):
    """Replaces django.contrib.admin in INSTALLED_APPS: admin.site is a SuperuserAdminSite."""

    default_site = "jmappa.accounts.sites.SuperuserAdminSite"
