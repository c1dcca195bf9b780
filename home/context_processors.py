from functools import partial

from jmappa import access


def _open_referrals(user) -> int:
    from referrals.selectors import screening_queue

    return screening_queue(user).count()


def _open_alerts(user) -> int:
    from alerts.selectors import open_count

    return open_count(user)


def navigation(request):
    """What the navigation shows: each role sees the parts it uses."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    screens = access.can_screen_referrals(user)
    return {
        "nav": {
            "cases": not access.has_role(user, "smb_member") or user.case_memberships.exists(),
            "referrals": access.can_refer(user) or screens,
            "my_actions": access.can_have_actions(user),
            "alerts": access.can_have_actions(user) or access.sees_every_case(user),
            # The open alerts the user must act on, counted only when the navigation is
            # drawn: one query.
            "open_alerts": partial(_open_alerts, user),
            "meetings": access.can_have_actions(user),
            "screening": screens,
            # Counted only when the navigation is drawn (a template calls it).
            "screening_count": partial(_open_referrals, user) if screens else None,
            "retention": access.can_review_retention(user),
            "agencies": access.can_view_agency_directory(user),
            "audit": access.can_view_audit_trail(user),
            "people": access.can_manage_people(user),
            "admin": access.is_superuser(user),
        }
    }
