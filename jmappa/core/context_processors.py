from jmappa import access


def navigation(request):
    """What the navigation shows: each role sees the parts it uses."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "cases": not access.has_role(user, "smb_member") or user.case_memberships.exists(),
            "retention": access.can_review_retention(user),
            "agencies": access.can_view_agency_directory(user),
            "audit": access.can_view_audit_trail(user),
            "admin": user.is_staff,
        }
    }
