"""Who may see and do what: the one place where access is decided.

Pages, the API, exports, PDFs and jobs all ask here, so that a record is seen
by exactly the same people whichever way it is reached.

The need-to-know rule on cases (§4.2):
- the Co-ordinator and Administrators keep the register and see every case;
- anyone else sees the cases whose team they are on (guardian object
  permissions granted by team membership, cases/services.py), or, where their
  agency allows it, the cases their agency is involved in if they are its SPOC;
- SMB members, as such, see no individual case;
- on top of that, a user the Co-ordinator excluded from a case sees nothing of
  it, whatever their role, and a restricted case is seen only by the users
  named on it;
- victim details need the separate victim permission on the case.
A case, or anything under it, that a user may not see answers 404, and the attempt is
recorded in the audit trail as a denied read.

Referrals (§10.4): the referrer and their agency's SPOC see their agency's referrals,
drafts included; once submitted, the Co-ordinator, Administrators and whoever sees the
case see them too; an exclusion or restriction on the case hides its referrals as well.

A new page about one record takes the one path: it subclasses ObjectAccessMixin (or a thin
subclass of it: NominalAccessMixin here, an app's own for its records) and declares
`selector` (the app's selector of what the user may see), `object_name`, and, if it asks
more, `access_check` (a predicate of this module) with `denied_status` (404, or 403 where
the page already admits the record exists). The mixin loads the record once, answers
404/403, and writes the read event of a GET; the view never does these itself. A page for
some roles only takes RoleRequiredMixin, with the same hook name, `access_check`.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from jmappa.accounts.models import Role
from jmappa.audit.services import audit_denied, audit_read


def has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_role(*roles))


def sees_every_case(user) -> bool:
    """The Co-ordinator and Administrators keep the register, so see every case."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_view_audit_trail(user) -> bool:
    return has_role(user, Role.COORDINATOR)


def must_use_mfa(user) -> bool:
    """Who must sign in with a second factor: the Co-ordinator and Administrators (they see
    every case), and anyone who holds the victim permission on a case. Anyone else may
    choose to; once they have, their second factor is asked too (jmappa/middleware.py)."""
    from cases.models import NominalUserObjectPermission

    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR):
        return True
    return NominalUserObjectPermission.objects.filter(
        user=user, permission__codename="view_victims"
    ).exists()


def can_view_agency_directory(user) -> bool:
    # Every signed-in user needs to find the other agencies and their SPOCs.
    return bool(user and user.is_authenticated and user.is_active)


def smb_member_only(user) -> bool:
    """A user whose only role is SMB member: they work with the Board's figures and, as such,
    see no individual case, whatever team or access record names them. Someone who is also
    a practitioner (or holds any other role) keeps what that role gives."""
    roles = set(getattr(user, "roles", None) or [])
    return Role.SMB_MEMBER in roles and roles <= {Role.SMB_MEMBER}


def kept_off_case(user, nominal) -> bool:
    """Whether the Co-ordinator's decisions keep `user` off this case: excluded from it, or
    it is restricted and they are not named on it."""
    from cases.models import Exclusion, NamedAccess

    if Exclusion.objects.filter(nominal=nominal, user=user).exists():
        return True
    return bool(nominal.restricted) and not NamedAccess.objects.filter(
        nominal=nominal, user=user).exists()


def can_create_nominal(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_manage_case_access(user) -> bool:
    """Exclusions, restriction and named access are the Co-ordinator's decisions."""
    return has_role(user, Role.COORDINATOR)


def can_review_retention(user) -> bool:
    """The retention review at the 100th anniversary of birth (§13.3), and its outcome:
    keeping the archived record or removing it for good. The Co-ordinator, who keeps the
    record of every JMAPPA offender (§2.2) and, with the Police, creates and manages the
    ViSOR records (§13.1)."""
    return has_role(user, Role.COORDINATOR)


def can_archive(user) -> bool:
    return has_role(user, Role.COORDINATOR)


# -- people, agencies, API tokens and lock-outs ------------------------------------------------
# The Django admin is for superusers only (jmappa/accounts/sites.py); the Co-ordinator and the
# Administrators keep the people in the application. Nobody changes their own roles or
# privileges; the senior accounts (the Co-ordinator and Administrator roles, the victim
# permission) change only by the Co-ordinator or a superuser, and a superuser's only by a
# superuser. Nobody becomes a superuser through the application.

SENIOR_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)


def is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def can_manage_people(user) -> bool:
    """People, agencies, API tokens and lock-outs: the Co-ordinator and the Administrators."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR) or is_superuser(user)


def can_change_senior_accounts(user) -> bool:
    """The senior roles, the victim permission, and the password and email of whoever holds
    them: the Co-ordinator or a superuser."""
    return has_role(user, Role.COORDINATOR) or is_superuser(user)


def holds_victim_permission(person) -> bool:
    from cases.models import NominalUserObjectPermission

    return NominalUserObjectPermission.objects.filter(
        user=person, permission__codename="view_victims").exists()


def is_senior_account(person) -> bool:
    return bool(person.is_superuser or person.has_role(*SENIOR_ROLES)
                or holds_victim_permission(person))


def can_change_person(user, person) -> bool:
    """Whether `user` may change `person`'s details, password, email or whether they may sign
    in (their roles: grantable_roles says which)."""
    if not can_manage_people(user):
        return False
    if person.is_superuser:
        return is_superuser(user)
    if is_senior_account(person):
        return can_change_senior_accounts(user)
    return True


def grantable_roles(user, person=None) -> list[str]:
    """The roles `user` may give `person` or take from them (a new person: None): none of
    their own, the senior ones only by the Co-ordinator or a superuser."""
    if person is not None and (person.pk == getattr(user, "pk", None)
                               or not can_change_person(user, person)):
        return []
    if not can_manage_people(user):
        return []
    if can_change_senior_accounts(user):
        return list(Role.values)
    return [role for role in Role.values if role not in SENIOR_ROLES]


def can_change_active(user, person) -> bool:
    """Deactivating or reactivating an account: never one's own."""
    return person.pk != getattr(user, "pk", None) and can_change_person(user, person)


def restrict_nominals(queryset: QuerySet, user) -> QuerySet:
    """`queryset` of nominals narrowed to those `user` may see."""
    from cases.models import CaseAgency, Exclusion, NamedAccess, NominalUserObjectPermission

    if not (user and user.is_authenticated and user.is_active) or smb_member_only(user):
        return queryset.none()
    queryset = queryset.exclude(
        Exists(Exclusion.objects.filter(nominal=OuterRef("pk"), user=user))
    ).filter(
        Q(restricted=False)
        | Exists(NamedAccess.objects.filter(nominal=OuterRef("pk"), user=user))
    )
    if sees_every_case(user):
        return queryset
    on_team = NominalUserObjectPermission.objects.filter(
        user=user, permission__codename="view_nominal"
    )
    if not _spoc_sees_agency_cases(user):
        # A semi-join on the permission table's unique (user, permission, case) index.
        return queryset.filter(pk__in=on_team.values("content_object_id"))
    as_spoc = CaseAgency.objects.filter(
        nominal=OuterRef("pk"), date_to__isnull=True,
        agency__spoc=user, agency__spoc_sees_agency_cases=True,
    )
    return queryset.filter(Exists(on_team.filter(content_object=OuterRef("pk")))
                           | Exists(as_spoc))


def case_readers(pairs) -> set[tuple[int, int | None]]:
    """Which of these (user id, nominal id) pairs are a user who may see that case now, the
    same rule as restrict_nominals answered for many people at once (a job telling many
    people about many cases, e.g. the email digest), in a fixed number of queries. A nominal
    id of None (a referral with no case yet, which no exclusion or restriction can reach) is
    passed for any active user other than an SMB member as such."""
    from cases.models import (
        CaseAgency,
        Exclusion,
        NamedAccess,
        Nominal,
        NominalUserObjectPermission,
    )
    from jmappa.accounts.models import User

    pairs = set(pairs)
    if not pairs:
        return set()
    user_ids = {user_id for user_id, _ in pairs}
    case_ids = {nominal_id for _, nominal_id in pairs if nominal_id is not None}
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids, is_active=True)
             .only("pk", "roles", "is_active")}
    excluded = set(Exclusion.objects.filter(user_id__in=users, nominal_id__in=case_ids)
                   .values_list("user_id", "nominal_id"))
    restricted = set(Nominal.objects.filter(pk__in=case_ids, restricted=True)
                     .values_list("pk", flat=True))
    named = set(NamedAccess.objects.filter(user_id__in=users, nominal_id__in=restricted)
                .values_list("user_id", "nominal_id")) if restricted else set()
    on_team = set(NominalUserObjectPermission.objects.filter(
        user_id__in=users, content_object_id__in=case_ids,
        permission__codename="view_nominal").values_list("user_id", "content_object_id"))
    as_spoc = set(CaseAgency.objects.filter(
        nominal_id__in=case_ids, date_to__isnull=True, agency__spoc_id__in=users,
        agency__spoc_sees_agency_cases=True).values_list("agency__spoc_id", "nominal_id"))
    readers = set()
    for user_id, nominal_id in pairs:
        user = users.get(user_id)
        if user is None or smb_member_only(user):
            continue
        if nominal_id is None:
            readers.add((user_id, nominal_id))
            continue
        pair = (user_id, nominal_id)
        if pair in excluded or (nominal_id in restricted and pair not in named):
            continue
        if sees_every_case(user) or pair in on_team or pair in as_spoc:
            readers.add(pair)
    return readers


def _spoc_sees_agency_cases(user) -> bool:
    """Whether the user is the SPOC of an agency that shares its cases with its SPOC."""
    from jmappa.accounts.models import Agency

    return Agency.objects.filter(spoc=user, spoc_sees_agency_cases=True).exists()


def can_view_nominal(user, nominal) -> bool:
    from cases.models import Nominal

    return restrict_nominals(Nominal.objects.filter(pk=nominal.pk), user).exists()


def get_nominal_or_404(user, pk, queryset=None):
    """The nominal if `user` may see it; otherwise 404, exactly as if it did not exist, and
    a denied read in the audit trail."""
    from cases.models import Nominal

    queryset = Nominal.objects.all() if queryset is None else queryset
    try:
        return restrict_nominals(queryset, user).get(pk=pk)
    except (Nominal.DoesNotExist, ValueError, TypeError):
        audit_denied(actor=user, model=Nominal, object_id=pk, case_id=_case_asked(pk))
        raise Http404 from None


def _case_asked(pk) -> int | None:
    """The case id a URL asked for, if it is one (for the audit trail of a refusal)."""
    text = str(pk)
    return int(text) if text.isdigit() and len(text) < 18 else None


def _holds(user, codename: str, nominal) -> bool:
    from cases.models import NominalUserObjectPermission

    return NominalUserObjectPermission.objects.filter(
        user=user, content_object=nominal, permission__codename=codename
    ).exists()


def can_change_nominal(user, nominal) -> bool:
    """Assumes `nominal` is visible to `user` (checked first by get_nominal_or_404)."""
    return sees_every_case(user) or _holds(user, "change_nominal", nominal)


def can_view_victims(user, nominal) -> bool:
    """Victim details: the Co-ordinator, or a holder of the victim permission on the case."""
    if not can_view_nominal(user, nominal):
        return False
    return has_role(user, Role.COORDINATOR) or _holds(user, "view_victims", nominal)


# -- referrals ------------------------------------------------------------------------------


def can_refer(user) -> bool:
    """Any practitioner of an agency may refer a case to the Co-ordinator (§10.4); an SMB
    member, as such, works with the figures, not with cases."""
    return can_have_actions(user)


def can_screen_referrals(user) -> bool:
    return has_role(user, Role.COORDINATOR)


def restrict_referrals(queryset: QuerySet, user) -> QuerySet:
    """`queryset` of referrals narrowed to those `user` may see."""
    from cases.models import Exclusion, NamedAccess, Nominal
    from referrals.models import ReferralStatus

    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    own_agency = Q(referred_by=user) | Q(referring_agency__spoc=user)
    if sees_every_case(user):
        sent_to_them = ~Q(status=ReferralStatus.DRAFT)
    else:
        sent_to_them = ~Q(status=ReferralStatus.DRAFT) & Q(
            nominal__in=restrict_nominals(Nominal.objects.all(), user))
    return queryset.filter(own_agency | sent_to_them).exclude(
        Exists(Exclusion.objects.filter(nominal=OuterRef("nominal"), user=user))
    ).filter(
        Q(nominal__isnull=True) | Q(nominal__restricted=False)
        | Exists(NamedAccess.objects.filter(nominal=OuterRef("nominal"), user=user))
    )


def get_referral_or_404(user, pk, queryset=None):
    from referrals.models import Referral

    queryset = Referral.objects.all() if queryset is None else queryset
    try:
        return restrict_referrals(queryset, user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        audit_denied(actor=user, model=Referral, object_id=pk)
        raise Http404 from None


def can_edit_referral(user, referral) -> bool:
    """The referrer changes their form while it is a draft or sent back for information."""
    return referral.is_editable and referral.referred_by_id == getattr(user, "pk", None)


def can_view_referral_victims(user, referral) -> bool:
    """The victims the referral names: its author, the Co-ordinator, and those who hold the
    victim permission on the case."""
    if referral.referred_by_id == user.pk or has_role(user, Role.COORDINATOR):
        return True
    return referral.nominal_id is not None and can_view_victims(user, referral.nominal)


def referrals_with_visible_victims(user, referrals) -> set[int]:
    """The ids of `referrals` whose victims `user` may read: can_view_referral_victims
    answered for a whole page of referrals in at most two queries."""
    from cases.models import Nominal, NominalUserObjectPermission

    if has_role(user, Role.COORDINATOR):
        return {referral.pk for referral in referrals}
    visible, by_case = set(), {}
    for referral in referrals:
        if referral.referred_by_id == user.pk:
            visible.add(referral.pk)
        elif referral.nominal_id is not None:
            by_case.setdefault(referral.nominal_id, []).append(referral.pk)
    if by_case:
        holds = NominalUserObjectPermission.objects.filter(
            user=user, permission__codename="view_victims", content_object=OuterRef("pk"))
        cases = restrict_nominals(Nominal.objects.filter(pk__in=by_case), user)
        for nominal_id in cases.filter(Exists(holds)).values_list("pk", flat=True):
            visible.update(by_case[nominal_id])
    return visible


# -- the audit trail ----------------------------------------------------------------------


def restrict_audit_events(queryset: QuerySet, user) -> QuerySet:
    """`queryset` of audit events narrowed to those `user` may read: none of a case or a
    referral hidden from them (by its case, or the case or referral it is about), whoever
    they are; a superuser reads all. Who reads the trail at all: can_view_audit_trail."""
    from cases.models import Nominal
    from referrals.models import Referral

    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if user.is_superuser:
        return queryset
    hidden_cases = Nominal.objects.exclude(
        pk__in=restrict_nominals(Nominal.objects.all(), user).values("pk"))
    hidden_referrals = Referral.objects.exclude(
        pk__in=restrict_referrals(Referral.objects.all(), user).values("pk"))

    def keys(hidden):
        return hidden.annotate(key=Cast("pk", CharField())).values("key")

    return queryset.exclude(case_id__in=hidden_cases.values("pk")).exclude(
        Q(object_type="cases.nominal", object_id__in=keys(hidden_cases))
        | Q(object_type="referrals.referral", object_id__in=keys(hidden_referrals)))


# -- meetings, minutes and the Risk Management Plan ---------------------------------------------
# Meetings, minutes and actions belong to their case: whoever may not see the case sees
# none of them (CaseChildQuerySet.visible_to). These say who may do what on top of that.


def can_manage_meetings(user) -> bool:
    """The Co-ordinator and the Administrators arrange meetings: panel dates, scheduling,
    invitations, attendance, the standing membership (§10.6, §10.7)."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_arrange_level_1(user, nominal) -> bool:
    """A level 1 case management discussion is arranged by the referring agency once the
    Co-ordinator has confirmed no JMAPP meeting is needed (§10.3): someone of the lead agency
    of a level 1 case, or of the agency whose referral was confirmed at level 1, who sees the
    case; and
    the Co-ordinator and Administrators, who arrange every meeting."""
    from referrals.models import Referral, ReferralStatus

    if can_manage_meetings(user):
        return True
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None or not has_role(user, Role.PRACTITIONER, Role.SPOC, Role.CHAIR) \
            or smb_member_only(user):
        return False
    lead = agency_id == nominal.lead_agency_id and nominal.level == "1"
    if not lead and not Referral.objects.filter(
            nominal=nominal.pk, referring_agency=agency_id,
            status=ReferralStatus.LEVEL_1).exists():
        return False
    return can_view_nominal(user, nominal)


def can_chair(user) -> bool:
    return has_role(user, Role.CHAIR)


def can_draft_minutes(user, meeting) -> bool:
    """The Administrator (secretariat) or the meeting's Chair drafts its minutes."""
    return can_manage_meetings(user) or (meeting.chair_id is not None
                                         and meeting.chair_id == getattr(user, "pk", None))


def can_finalise_minutes(user, meeting) -> bool:
    """Only the meeting's own Chair finalises its minutes and consents to onward sharing."""
    return (meeting.chair_id is not None and meeting.chair_id == getattr(user, "pk", None)
            and has_role(user, Role.CHAIR, Role.COORDINATOR))


def can_answer(user, invitation) -> bool:
    """The invitee answers their invitation; the Administrator may record an answer given
    another way."""
    return invitation.user_id == getattr(user, "pk", None) or can_manage_meetings(user)


def can_record_attendance(user, meeting) -> bool:
    return can_draft_minutes(user, meeting)


def restrict_minutes_meetings(queryset: QuerySet, user) -> QuerySet:
    """`queryset` of meetings narrowed to those whose minutes `user` may read: the meetings
    of the cases they see, and those whose final minutes were sent to them as their agency's
    SPOC (§10.12). Being sent the minutes shows the minutes, not the case (§4.2): the SPOC
    is not put on the case for it. An exclusion from the case, or its restriction to named
    users, hides the minutes as well."""
    from cases.models import Exclusion, NamedAccess, Nominal

    if not (user and user.is_authenticated and user.is_active) or smb_member_only(user):
        return queryset.none()
    seen = Q(nominal__in=restrict_nominals(Nominal.objects.all(), user).values("pk"))
    sent = Q(pk__in=queryset.model.objects.filter(
        minutes__distribution__recipient=user).values("pk")) & ~Q(
        Exists(Exclusion.objects.filter(nominal=OuterRef("nominal"), user=user))) & (
        Q(nominal__restricted=False)
        | Q(Exists(NamedAccess.objects.filter(nominal=OuterRef("nominal"), user=user))))
    return queryset.filter(seen | sent)


def reads_minutes_only(user, meeting) -> bool:
    """`user` reads this meeting's minutes only because they were sent them (as a SPOC), and
    does not see its case: the minutes they were sent, nothing else of the case."""
    from cases.models import Nominal

    return not restrict_nominals(Nominal.objects.filter(pk=meeting.nominal_id), user).exists()


def can_close_follow_up(user, follow_up) -> bool:
    """The Chair follows up non-attendance (§10.10); the Co-ordinator may close it too."""
    pk = getattr(user, "pk", None)
    return pk is not None and (follow_up.chair_id == pk or follow_up.meeting.chair_id == pk
                               or has_role(user, Role.COORDINATOR))


def can_attach_offender_information(user, meeting) -> bool:
    """The offender's case manager brings it; the Administrator may enter it for them."""
    return can_manage_meetings(user) or (
        meeting.nominal.case_manager_id is not None
        and meeting.nominal.case_manager_id == getattr(user, "pk", None))


def can_change_plan(user, nominal) -> bool:
    """The plan is agreed at meetings: the Co-ordinator, Administrators and the case's
    managers keep it; assumes `nominal` is visible to `user`."""
    return can_manage_meetings(user) or can_change_nominal(user, nominal)


def can_log_progress(user, action) -> bool:
    """The action's owner, or anyone of the owning agency, logs its progress; assumes the
    case is visible to `user`."""
    if can_manage_meetings(user):
        return True
    return action.owner_id == getattr(user, "pk", None) or (
        user.agency_id is not None and action.owner_agency_id == user.agency_id)


def can_have_actions(user) -> bool:
    """Who owns plan actions and logs their progress: the people of the agencies, not the
    SMB as such."""
    return bool(user and user.is_authenticated and user.agency_id) and has_role(
        user, Role.PRACTITIONER, Role.SPOC, Role.CHAIR, Role.COORDINATOR, Role.ADMINISTRATOR)


def sees_alerts(user) -> bool:
    """Those who work on cases; an SMB member, as such, sees no individual case."""
    return can_have_actions(user) or sees_every_case(user)


def can_record_level1_review(user, nominal) -> bool:
    """The lead agency reviews its level 1 cases (§9.2): its people on the case, and the
    Co-ordinator."""
    if has_role(user, Role.COORDINATOR):
        return True
    return nominal.lead_agency_id is not None and user.agency_id == nominal.lead_agency_id


def can_record_home_visit(user, nominal) -> bool:
    """Anyone on the case who is a practitioner (Police and Probation visit, §14.9), and the
    Co-ordinator."""
    return has_role(user, Role.COORDINATOR, Role.PRACTITIONER)


# -- the chronology and documents -------------------------------------------------------------


def on_case_team(user, nominal) -> bool:
    """Whether `user` is on the case's team today, in a role that works the case (a SPOC
    who only receives the minutes does not, §4.2)."""
    from cases.models import TeamMember, TeamRole

    if not (user and user.is_authenticated and user.is_active):
        return False
    return TeamMember.objects.current().filter(nominal=nominal, user=user).exclude(
        role=TeamRole.MINUTES_RECIPIENT).exists()


def can_add_contact(user, nominal) -> bool:
    """The chronology is kept by the case team and the Co-ordinator; whoever reads the case
    reads it."""
    if not can_view_nominal(user, nominal):
        return False
    return has_role(user, Role.COORDINATOR) or on_case_team(user, nominal)


def can_add_document(user, nominal) -> bool:
    """Documents are attached by the case team, the Co-ordinator and the Administrators
    (the secretariat gathers the meeting's papers); whoever reads the case reads them."""
    if not can_view_nominal(user, nominal):
        return False
    return sees_every_case(user) or on_case_team(user, nominal)


def can_mark_for_destruction(user, document) -> bool:
    """Whether a meeting's paper is kept or destroyed after it (Appendix C) is settled at the
    meeting: by its secretariat, or by who brought the paper."""
    return document.meeting_id is not None and (
        can_manage_meetings(user) or document.uploaded_by_id == getattr(user, "pk", None))
# -- third-party disclosure (§5) ---------------------------------------------------------------

# Granted on the case, like the victim permission, to those who need a disclosure's third
# party: the Chair who agreed it, the senior officer asked to endorse it, the officer who
# carries it out, the case manager.
DISCLOSURE_PERMISSION = "view_disclosures"


def restrict_disclosures(queryset: QuerySet, user) -> QuerySet:
    """Disclosures (anything with a `nominal`) narrowed to those `user` may read: on a case
    they see, and the Co-ordinator or a holder of the case's disclosure permission."""
    from cases.models import Nominal, NominalUserObjectPermission

    queryset = queryset.filter(
        nominal__in=restrict_nominals(Nominal.objects.all(), user))
    if has_role(user, Role.COORDINATOR):
        return queryset
    return queryset.filter(nominal__in=NominalUserObjectPermission.objects.filter(
        user=user, permission__codename=DISCLOSURE_PERMISSION).values("content_object_id"))


def can_view_disclosures(user, nominal) -> bool:
    if not can_view_nominal(user, nominal):
        return False
    return has_role(user, Role.COORDINATOR) or _holds(user, DISCLOSURE_PERMISSION, nominal)


def can_agree_disclosure(user, nominal) -> bool:
    """Who records a disclosure a meeting agreed: the Chairs, the Co-ordinator, and those
    who keep the case's plan; assumes `nominal` is visible to `user`."""
    return has_role(user, Role.CHAIR, Role.COORDINATOR) or can_change_plan(user, nominal)


def can_manage_worship(user, nominal) -> bool:
    """Who records an offender's attendance at a place of worship (§5.4): the assessment,
    the contract, its signing or the decision when he is unwilling, the action on a breach.
    Those who record a disclosure; assumes `nominal` is visible to `user`."""
    return can_agree_disclosure(user, nominal)


def can_manage_worship_record(user, record) -> bool:
    """`can_manage_worship` for an arrangement or a breach of its contract."""
    return can_manage_worship(user, record.nominal)


# -- support planning (seed 000) ----------------------------------------------------------------


def can_manage_support(user, nominal) -> bool:
    """Who keeps a case's support planning, its network, consent, meetings and safety plan:
    those who keep the case's plan; assumes `nominal` is visible to `user`. Whoever reads the
    case reads it; a support person is not a user and reads nothing."""
    return can_change_plan(user, nominal)


def can_manage_support_record(user, record) -> bool:
    return can_manage_support(user, record.nominal)


def can_pass_offending_on(user, record) -> bool:
    """Further offending disclosed at a Support Planning Meeting is passed to the Police: by
    the police contact named, or by those who keep the support planning."""
    return record.police_contact_id == getattr(user, "pk", None) or can_manage_support(
        user, record.nominal)


# -- custody and joined-up planning (seed 003) ----------------------------------------------------


def can_keep_custody(user, nominal) -> bool:
    """A case's sentences, custody events, orders and conditions, breaches and recall
    decisions, its joined-up team, their meetings and actions log, My Plan and the Pathway Plan
    reviews: kept by those who keep the case's plan; assumes `nominal` is visible to `user`.
    Whoever reads the case reads them; the names a condition forbids contact with need the
    case's victim permission (can_view_victims)."""
    return can_change_plan(user, nominal)


def can_keep_custody_record(user, record) -> bool:
    return can_keep_custody(user, record.nominal)


# -- coordinated services plans (seed 002) -------------------------------------------------------


def can_keep_services_plan(user, nominal) -> bool:
    """A case's coordinated services plan, its services, service updates, oversight notices
    and sharing log: kept by those who keep the case's plan; assumes `nominal` is visible to
    `user`. Whoever reads the case reads it."""
    return can_change_plan(user, nominal)


def can_keep_services_plan_record(user, record) -> bool:
    return can_keep_services_plan(user, record.plan.nominal if hasattr(record, "plan")
                                  else record.nominal)


def can_manage_panel(user) -> bool:
    """The multi-agency panel's members, meetings, provider catalogue: the Co-ordinator and
    the Administrators, who coordinate it."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def _on_panel(user, *, chair: bool = False) -> bool:
    if not (user and user.is_authenticated):
        return False
    current = user.panel_memberships.filter(date_to__isnull=True)
    return current.filter(is_chair=True).exists() if chair else current.exists()


def can_view_panel(user) -> bool:
    """The panel's pages and its systemic-issues log: its members and those who manage it."""
    return can_manage_panel(user) or _on_panel(user)


def can_endorse_services_plan(user) -> bool:
    """The panel's endorsement is recorded by its Chair, or by the Co-ordinator for them."""
    return has_role(user, Role.COORDINATOR) or _on_panel(user, chair=True)


# -- integrated intervention packages (seed 004) ----------------------------------------------


def can_keep_interventions(user, nominal) -> bool:
    """A person's intervention package: its engagement record, interventions, referrals, log
    and review points, kept by those who keep the case's plan; assumes `nominal` is visible to
    `user`. Whoever reads the case reads it."""
    return can_change_plan(user, nominal)


def can_keep_interventions_record(user, record) -> bool:
    return can_keep_interventions(user, record.nominal)


def can_hold_review_point(user, point) -> bool:
    """A package's review point is recorded as held by whoever it names to make it happen,
    or by those who keep the package; assumes the case is visible to `user`."""
    return point.responsible_id == getattr(user, "pk", None) or can_keep_interventions(
        user, point.nominal)


def can_view_intervention_catalogue(user) -> bool:
    """The catalogue of interventions: read by whoever works on cases, to plan with it."""
    return sees_alerts(user)


def can_manage_intervention_catalogue(user) -> bool:
    """The catalogue's interventions, their eligibility and places: kept by the Co-ordinator
    and the Administrators, who keep the provider catalogue too."""
    return can_manage_panel(user)


def is_chief_officer(user) -> bool:
    """Endorsement "at ACPO or DCO level" (§5.1): a chief-officer grade (Assistant Chief
    Constable or above in the Police, Deputy Chief Officer or above in Probation)."""
    from jmappa.accounts.models import AgencyKind, Grade

    agency = getattr(user, "agency", None) if user and user.is_authenticated else None
    return bool(user.is_active and agency is not None and user.grade is not None
                and user.grade >= Grade.EXECUTIVE
                and agency.kind in (AgencyKind.POLICE, AgencyKind.PROBATION))


def can_endorse_disclosure(user, disclosure) -> bool:
    """The senior officer the disclosure names, if they still hold the grade."""
    return disclosure.endorser_id == getattr(user, "pk", None) and is_chief_officer(user)


def can_carry_out_disclosure(user, disclosure) -> bool:
    """Police and Probation tell the recipient (§5.2, §5.3); the Co-ordinator records it for
    them."""
    from jmappa.accounts.models import AgencyKind

    if has_role(user, Role.COORDINATOR):
        return True
    agency = getattr(user, "agency", None)
    return agency is not None and agency.kind in (AgencyKind.POLICE, AgencyKind.PROBATION)


# -- requests for minutes (§5.5) ----------------------------------------------------------------


def restrict_minutes_requests(queryset: QuerySet, user) -> QuerySet:
    """Requests for minutes (anything with `nominal`, `chair`, `received_by`, `logged_by`)
    narrowed to those `user` may read: on a case they see, and the Co-ordinator who keeps the
    register, the Chair it was referred to, or whoever received or logged it."""
    from cases.models import Nominal

    queryset = queryset.filter(
        nominal__in=restrict_nominals(Nominal.objects.all(), user))
    if has_role(user, Role.COORDINATOR):
        return queryset
    return queryset.filter(Q(chair=user) | Q(received_by=user) | Q(logged_by=user))


def can_log_minutes_request(user, nominal) -> bool:
    """Any practitioner who receives a request logs it (§5.5); assumes `nominal` visible."""
    return has_role(user, Role.COORDINATOR, Role.CHAIR, Role.PRACTITIONER, Role.SPOC,
                    Role.ADMINISTRATOR)


def can_manage_minutes_request(user, minutes_request) -> bool:
    """The Co-ordinator keeps the register; the Chair it was referred to acts on it."""
    return has_role(user, Role.COORDINATOR) or minutes_request.chair_id == getattr(
        user, "pk", None)


def can_write_summary(user, summary) -> bool:
    """Only the Chair of the last meeting edits and finalises the Executive Summary."""
    return summary.chair_id == getattr(user, "pk", None) and has_role(
        user, Role.CHAIR, Role.COORDINATOR)
# -- the Board's figures (kpi/) --------------------------------------------------------------
# The KPIs, their trend and the rows behind them are for the Co-ordinator, the Administrators
# and the SMB members (§15.4, §16.1); anyone else is refused (403: the page exists for them
# to know of, it holds nothing of a case). The rows behind a figure name a case by its
# reference only, with its level, lead agency and meeting dates: never a name, an address or
# a victim. The Co-ordinator and Administrators, who see every case, go on from a row to the
# case itself; an SMB member, who sees no individual case (§4.2), goes no further than the
# reference.


def can_view_kpis(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR, Role.SMB_MEMBER)


def kpi_reference_ids(user, nominal_ids) -> set[int]:
    """Of the cases behind a KPI's rows, those whose reference `user` may be shown: the
    cases they see; for an SMB member as such, every case but a restricted one or one
    they are excluded from. Any other row shows no reference ("withheld"). One query."""
    from cases.models import Exclusion, Nominal

    cases = Nominal.objects.filter(pk__in=list(nominal_ids))
    if smb_member_only(user):
        cases = cases.filter(restricted=False).exclude(
            Exists(Exclusion.objects.filter(nominal=OuterRef("pk"), user=user)))
    else:
        cases = restrict_nominals(cases, user)
    return set(cases.values_list("pk", flat=True))


def kpi_rows_link_to_cases(user) -> bool:
    """Whether a KPI's rows lead to the cases behind them (else: references only)."""
    return sees_every_case(user)


def can_score_case_audit(user) -> bool:
    """The quarterly case audit is scored by the Co-ordinator or an SMB member (§15.4,
    §16.1); the case is shown to them as a KPI's row is (kpi_reference_ids)."""
    return has_role(user, Role.COORDINATOR, Role.SMB_MEMBER)


def can_prepare_annual_report(user) -> bool:
    """The annual report (§15.5) is a JMAPP Co-ordination and Management function (§16.1):
    drafted by the Co-ordinator or the Administrators, who record the Board's approval and
    publish it; the Board's members read it as every KPI page."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_manage_smb(user) -> bool:
    """The Board's seats, members, Chair and meetings: its secretariat (§15.2)."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def for_any(role_check):
    """A role predicate `(user) -> bool` as an object predicate `(user, obj) -> bool`, for
    an ObjectAccessMixin page open to some roles only."""

    def check(user, obj) -> bool:
        return role_check(user)

    check.__name__ = check.__qualname__ = getattr(role_check, "__name__", "check")
    return check


# -- the pages --------------------------------------------------------------------------------


class RoleRequiredMixin(LoginRequiredMixin):
    """A page for some roles only: `access_check(user)` is one of the functions above; a user
    it refuses is answered 403."""

    access_check = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).access_check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ObjectAccessMixin(LoginRequiredMixin):
    """A page about one record: the record is loaded once, from what the user may see, and
    set on the view as `self.object` and as `self.<object_name>`.

    - `selector(user)`: the records `user` may see (an app's selector, restricted here);
      the URL's `url_kwarg` picks one of them; any other answers 404;
    - `access_check(user, obj)`: optional, one of the functions above, on top of it; a user
      it refuses is answered `denied_status`: 404 ("a record the user may not see answers
      404"), or 403 where the page already admits that the record exists (a role the user
      lacks on a case they see; `for_any` turns a role predicate into one);
    - a record it answers 404 for, at any method, writes a denied read (`audit_denied`);
    - reading the page (GET or HEAD) writes one read event to the audit trail, about
      `read_object()` (the record itself unless a page reads something of it), with
      `audit_case_id(obj)`; `audit_reads = False` for a page whose reading is not a read
      (a photo, a PDF or export, which write their own PRINT or EXPORT event).

    Hooks: `denied()` (the answer to a refused user: raise, or return a response),
    `turn_away()` (a response instead of the page once access is granted, e.g. "nothing to
    do here", or None); the view's own handlers then find the record on `self`.
    """

    selector = None
    url_kwarg = "pk"
    object_name = "object"
    access_check = None
    denied_status = 404
    audit_reads = True

    def visible(self, user) -> QuerySet:
        return type(self).selector(user)

    def object_pk(self):
        return self.kwargs.get(self.url_kwarg)

    def load_object(self):
        queryset = self.visible(self.request.user)
        try:
            return queryset.get(pk=self.object_pk())
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            self.audit_denied(queryset.model)
            raise Http404 from None

    def set_object(self, obj) -> None:
        self.object = obj
        setattr(self, self.object_name, obj)

    def allowed(self, user, obj) -> bool:
        check = type(self).access_check
        return check is None or check(user, obj)

    def denied(self):
        if self.denied_status == 403:
            raise PermissionDenied
        self.audit_denied(type(self.object))
        raise Http404

    def turn_away(self):
        return None

    def get_object(self, queryset=None):
        """For Django's single-object views: the record already loaded."""
        return self.object

    def reads(self, request) -> bool:
        """Whether this request reads the page: a GET or HEAD that a handler answers."""
        method = request.method.lower()
        return (self.audit_reads and method in ("get", "head")
                and method in self.http_method_names and hasattr(self, method))

    def read_object(self):
        return self.object

    def audit_case_id(self, obj):
        return None

    def denied_case_id(self):
        """The case a refused request asked for, where its URL names it (else None)."""
        return None

    def audit_denied(self, model) -> None:
        """The record asked for answers 404 (outside what the user may see, or not there: the
        same answer), whatever the method: a denied read, naming only what was asked."""
        request = self.request
        audit_denied(actor=request.user, model=model, object_id=self.object_pk(),
                     case_id=self.denied_case_id(),
                     detail=f"{request.method} {request.get_full_path()}")

    def audit_read(self) -> None:
        obj = self.read_object()
        audit_read(actor=self.request.user, obj=obj, case_id=self.audit_case_id(obj))

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.set_object(self.load_object())
        if not self.allowed(request.user, self.object):
            answer = self.denied()
            if answer is not None:
                return answer
        answer = self.turn_away()
        if answer is not None:
            return answer
        if self.reads(request):
            self.audit_read()
        return super().dispatch(request, *args, **kwargs)


def _visible_nominals(user) -> QuerySet:
    from cases.models import Nominal

    return restrict_nominals(Nominal.objects.all(), user)


class NominalAccessMixin(ObjectAccessMixin):
    """A page about one case (URL kwarg `nominal_pk` or `pk`): 404 unless the user sees it.
    Sets `self.nominal`; `access_check` may ask more (`can_change_nominal`,
    `can_view_victims`: 404 too, rather than say the case exists)."""

    selector = _visible_nominals
    url_kwarg = "nominal_pk"
    object_name = "nominal"

    def object_pk(self):
        return self.kwargs.get(self.url_kwarg, self.kwargs.get("pk"))

    def audit_case_id(self, obj):
        return self.nominal.pk

    def denied_case_id(self):
        return _case_asked(self.object_pk())
