from functools import partial

from django.conf import settings

from jmappa import access


def _open_referrals(user) -> int:
    from referrals.selectors import screening_queue

    return screening_queue(user).count()


def _open_alerts(user) -> int:
    from alerts.selectors import open_count

    return open_count(user)


def _active(request) -> dict:
    """Which navigation item the page belongs to (the others are links)."""
    match = request.resolver_match
    app, name = (match.app_name, match.url_name) if match else ("", "")
    mine = app == "plans" and name in {"mine", "progress"}
    return {
        "home": not app and name == "home",
        "cases": app == "cases" or (app == "plans" and not mine),
        "referrals": app == "referrals" and name != "screening",
        "screening": app == "referrals" and name == "screening",
        "meetings": app == "meetings",
        "alerts": app == "alerts",
        "kpis": app == "kpi",
        "my_actions": mine,
        "manage": app in {"accounts", "people", "audit"} or name == "manage",
    }


def navigation(request):
    """What the navigation shows: each role sees the parts it uses."""
    marking = {"protective_marking": settings.PROTECTIVE_MARKING}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return marking
    screens = access.can_screen_referrals(user)
    manage = {
        "retention": access.can_review_retention(user),
        "agencies": access.can_view_agency_directory(user),
        "audit": access.can_view_audit_trail(user),
        "people": access.can_manage_people(user),
        "admin": access.is_superuser(user),
    }
    return {
        **marking,
        "nav": {
            "active": _active(request),
            # The pages that keep the service running share one item.
            "manage": any(manage.values()),
            # Everyone may look up the agencies; only some keep the service running.
            "manage_label": "Administration" if any(
                v for k, v in manage.items() if k != "agencies") else "Agencies",
            **manage,
            "cases": not access.has_role(user, "smb_member") or user.case_memberships.exists(),
            "referrals": access.can_refer(user) or screens,
            "my_actions": access.can_have_actions(user),
            "alerts": access.can_have_actions(user) or access.sees_every_case(user),
            # The open alerts the user must act on, counted only when the navigation is
            # drawn: one query.
            "open_alerts": partial(_open_alerts, user),
            "meetings": access.can_have_actions(user),
            "kpis": access.can_view_kpis(user),
            "screening": screens,
            # Counted only when the navigation is drawn (a template calls it).
            "screening_count": partial(_open_referrals, user) if screens else None,
        }
    }
