from django.db.models import QuerySet

from jmappa import access

from .models import Agency, ApiToken, User


def agencies_for(user) -> QuerySet[Agency]:
    if not access.can_view_agency_directory(user):
        return Agency.objects.none()
    return Agency.objects.select_related("spoc").order_by("name")


def agency_members(agency: Agency) -> QuerySet[User]:
    return agency.users.filter(is_active=True).order_by("last_name", "first_name")


def people_for(user) -> QuerySet[User]:
    """Everyone, for those who manage people; nobody for anyone else."""
    if not access.can_manage_people(user):
        return User.objects.none()
    return User.objects.select_related("agency").order_by("last_name", "first_name",
                                                          "username")


def people_list(user, *, agency=None, role: str = "", active: str = "") -> QuerySet[User]:
    people = people_for(user)
    if agency is not None:
        people = people.filter(agency=agency)
    if role:
        people = people.filter(roles__contains=[role])
    if active in ("yes", "no"):
        people = people.filter(is_active=active == "yes")
    return people


def api_tokens_for(user) -> QuerySet[ApiToken]:
    if not access.can_manage_people(user):
        return ApiToken.objects.none()
    return ApiToken.objects.select_related("user").order_by("-created_at")


def lockouts_for(user) -> QuerySet:
    """django-axes' records of failed sign-ins, most recent first."""
    from axes.models import AccessAttempt

    if not access.can_manage_people(user):
        return AccessAttempt.objects.none()
    return AccessAttempt.objects.order_by("-attempt_time")
