"""Standing membership (§10.7): who each agency sends to level 2 and 3 meetings, at what
seniority; editable configuration, with the Guidance's own list to start from
(DEFAULT_STANDING). One transaction each, with its audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Level
from jmappa.accounts.models import Agency, AgencyKind, Grade, User
from jmappa.audit.services import audit_change, audit_create, snapshot

from ..models import PanelLevel, StandingMembership
from .common import _require_manager

# §10.7's standing membership, as the Guidance lists it: for each agency, the kinds of
# agency it applies to (the first kind present is used) and, per level, the seniority and
# the lowest grade that meets it (jmappa.accounts.models.Grade).
DEFAULT_STANDING = [
    ("Police", (AgencyKind.POLICE,), {
        Level.TWO: ("Inspector", Grade.FIRST_LINE_MANAGER),
        Level.THREE: ("Chief Inspector/Superintendent", Grade.SENIOR_MANAGER),
    }),
    ("Probation Service", (AgencyKind.PROBATION,), {
        Level.TWO: ("Team Leader", Grade.FIRST_LINE_MANAGER),
        Level.THREE: ("Assistant Chief Probation Officer", Grade.SENIOR_MANAGER),
    }),
    ("Social Services", (AgencyKind.CHILDRENS_SERVICES, AgencyKind.HEALTH_SOCIAL_SERVICES), {
        Level.TWO: ("Head of Children's Social Work", Grade.MIDDLE_MANAGER),
        Level.THREE: ("Co-ordinator, Children's Executive", Grade.SENIOR_MANAGER),
    }),
    ("Mental Health Services", (AgencyKind.MENTAL_HEALTH,), {
        Level.TWO: ("Head of Nursing/Operational Service Manager", Grade.MIDDLE_MANAGER),
        Level.THREE: ("Directorate Manager", Grade.SENIOR_MANAGER),
    }),
    ("Housing", (AgencyKind.HOUSING,), {
        Level.TWO: ("Housing Manager", Grade.FIRST_LINE_MANAGER),
        Level.THREE: ("Director", Grade.SENIOR_MANAGER),
    }),
]


@transaction.atomic
def standing_membership_set(*, agency: Agency, level: str, seniority: str, minimum_grade: int,
                            actor, member: User | None = None,
                            is_active: bool = True) -> StandingMembership:
    """Set an agency's seat at level 2 or 3 meetings (created if it has none)."""
    _require_manager(actor)
    if level not in PanelLevel.values:
        raise ValidationError({"level": "Choose level 2 or level 3."})
    errors = {}
    seniority = (seniority or "").strip()
    if not seniority:
        errors["seniority"] = "Give the seniority the seat needs, as the Guidance puts it " \
                              "(for example “Inspector”)."
    if minimum_grade not in Grade.values:
        errors["minimum_grade"] = "Choose the lowest grade that meets this seniority."
    if member is not None:
        if member.agency_id != agency.pk:
            errors["member"] = f"The standing member must work for {agency}."
        elif not member.is_active:
            errors["member"] = "This person's account is disabled."
    if errors:
        raise ValidationError(errors)
    seat = StandingMembership.objects.select_for_update().filter(agency=agency,
                                                                 level=level).first()
    fields = {"seniority": seniority, "minimum_grade": minimum_grade, "member": member,
              "is_active": is_active}
    if seat is None:
        seat = StandingMembership.objects.create(agency=agency, level=level, **fields)
        audit_create(actor=actor, obj=seat)
        return seat
    before = snapshot(seat, fields.keys())
    for name, value in fields.items():
        setattr(seat, name, value)
    seat.save()
    audit_change(actor=actor, obj=seat, before=before)
    return seat


class SeatRefused(ValidationError):
    """One seat of several refused: `index` is its place in the list given."""

    def __init__(self, error: ValidationError, index: int):
        super().__init__(error)
        self.index = index


@transaction.atomic
def standing_memberships_save(*, level: str, seats: list[tuple[Agency, dict]],
                              actor) -> int:
    """Several seats of `level` saved together, all or none: `seats` is [(agency, fields
    of standing_membership_set)]. The first refused raises SeatRefused, saying which; the
    number of seats set otherwise."""
    for index, (agency, fields) in enumerate(seats):
        try:
            standing_membership_set(agency=agency, level=level, actor=actor, **fields)
        except ValidationError as error:
            raise SeatRefused(error, index) from error
    return len(seats)


def _likely_member(agency: Agency, seniority: str, minimum_grade: int) -> User | None:
    """The agency's one active user whose job title is the seat's, if exactly one."""
    titles = [title.strip().lower() for title in seniority.split("/") if title.strip()]
    matches = [user for user in agency.users.filter(is_active=True)
               if user.job_title.strip().lower() in titles
               and (user.grade or 0) >= minimum_grade]
    return matches[0] if len(matches) == 1 else None


def default_seats(level: str) -> list[tuple[Agency, str, int]]:
    """(agency, seniority, minimum grade) for each seat of DEFAULT_STANDING at `level`,
    for the active agencies of the kinds it names."""
    seats = []
    for _name, kinds, by_level in DEFAULT_STANDING:
        seniority, grade = by_level[level]
        for kind in kinds:
            agencies = list(Agency.objects.filter(kind=kind, is_active=True))
            if agencies:
                seats += [(agency, seniority, grade) for agency in agencies]
                break
    return seats


@transaction.atomic
def standing_membership_fill(*, level: str, actor) -> list[StandingMembership]:
    """"Fill in from the Guidance": each agency of DEFAULT_STANDING without a seat at
    `level` gets the Guidance's; a seat already set is left as it is. Where one person of
    the agency holds that very job title, they are made its standing member."""
    _require_manager(actor)
    if level not in PanelLevel.values:
        raise ValidationError({"level": "Choose level 2 or level 3."})
    existing = set(StandingMembership.objects.filter(level=level)
                   .values_list("agency_id", flat=True))
    created = []
    for agency, seniority, grade in default_seats(level):
        if agency.pk in existing:
            continue
        created.append(standing_membership_set(
            agency=agency, level=level, seniority=seniority, minimum_grade=grade,
            member=_likely_member(agency, seniority, grade), actor=actor))
    return created
