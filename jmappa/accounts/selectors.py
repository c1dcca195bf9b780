from django.db.models import QuerySet

from jmappa import access

from .models import Agency, User


def agencies_for(user) -> QuerySet[Agency]:
    if not access.can_view_agency_directory(user):
        return Agency.objects.none()
    return Agency.objects.select_related("spoc").order_by("name")


def agency_members(agency: Agency) -> QuerySet[User]:
    return agency.users.filter(is_active=True).order_by("last_name", "first_name")
