"""Emails about the register, sent once the transaction that made the change has committed.

An email leaves the secure system: it carries references and links, never an offender's
name or any detail of the case.
"""

from __future__ import annotations

from jmappa import access
from jmappa.accounts.models import Role, User
from jmappa.core.mail import send_mail_on_commit, site_link


def hidden_duplicate(*, actor, attempt: str, hidden: list) -> None:
    """The Co-ordinator is told that `actor`, while `attempt` (e.g. "adding a new record to
    the register"), was warned of a possible match on the register that they may not see.
    Each Co-ordinator's email names the matching records that Co-ordinator may see."""
    coordinators = list(User.objects.filter(is_active=True, roles__contains=[Role.COORDINATOR])
                        .exclude(email=""))
    if not coordinators:
        return
    readers = access.case_readers((c.pk, n.pk) for c in coordinators for n in hidden)
    who = actor.get_full_name() or actor.get_username()
    if getattr(actor, "agency", None):
        who = f"{who} ({actor.agency})"
    subject = "JMAPPA: a possible duplicate on the register to check"
    for coordinator in coordinators:
        theirs = [n for n in hidden if (coordinator.pk, n.pk) in readers]
        if theirs:
            found = "\n".join(f"- {n.reference}\n  {site_link('cases:detail', n.pk)}"
                              for n in theirs)
        else:
            found = "- a record you may not see either: ask another Co-ordinator to check it"
        body = (
            f"{who} was {attempt} when the register's duplicate check found a possible "
            "match they may not see. They were told only that a match exists and that you "
            f"have been told; nothing was saved for it.\n\nThe possible match:\n{found}\n\n"
            "Check whether it is the same person, and speak to them if it is. The audit "
            "trail records the check.\n"
        )
        send_mail_on_commit(subject, body, [coordinator.email])
