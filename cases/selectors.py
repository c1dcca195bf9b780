"""Reads of cases, shared by pages, API, exports and jobs: already restricted by access.py."""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils import timezone

from jmappa import access

from .models import (
    RISK_ORDER,
    Alias,
    ContactEntry,
    Deviation,
    Nominal,
    Status,
    name_sort_key,
    retention_due,
)

# How alike two names must be (0 to 1) to count as the same person's, given the same date
# of birth: pg_trgm's own threshold, so that "Jonathon Smyth" (0.43) and "Muhammad Ali"
# (0.37) are caught against "Jonathan Smith" and "Mohammed Ali" born the same day.
SIMILAR_NAME = 0.3


def _rank(field: str, ranks: dict[str, int]):
    return Case(*[When(**{field: value}, then=rank) for value, rank in ranks.items()],
                default=0, output_field=IntegerField())


def _ordering(sort: str | None) -> tuple:
    """Names case- and accent-blind; risk and level in their real order (very high first,
    level 3 first, unknown last), not the alphabetical order of their stored codes."""
    name = (name_sort_key("family_name"), name_sort_key("given_names"), "id")
    sorts = {
        "name": name,
        "-name": (name_sort_key("family_name").desc(), name_sort_key("given_names").desc(), "-id"),
        "dob": ("date_of_birth", "id"),
        "-dob": ("-date_of_birth", "-id"),
        "category": ("category", *name),
        "level": (_rank("level", {"3": 3, "2": 2, "1": 1}).desc(), *name),
        "risk": (_rank("rosh", RISK_ORDER).desc(), *name),
        "updated": ("-updated_at", "-id"),
    }
    return sorts.get(sort or "name", name)


def nominals_for(user) -> QuerySet[Nominal]:
    return Nominal.objects.visible_to(user)


def nominal_list(user, *, filters: dict | None = None) -> QuerySet[Nominal]:
    """The case list (page, export and API): visible cases, searched, filtered and sorted
    (`filters` in the terms of cases.filters.NominalFilter)."""
    return filter_nominals(nominals_for(user), filters)


def filter_nominals(nominals: QuerySet[Nominal], filters: dict | None = None
                    ) -> QuerySet[Nominal]:
    """`nominals` (those a user may see) searched, filtered and sorted as the case list."""
    filters = filters or {}
    nominals = nominals.select_related("lead_agency", "case_manager")
    query = (filters.get("q") or "").strip()
    if query:
        nominals = nominals.filter(_search(query))
    for name in ("category", "level", "rosh", "status", "custody_status"):
        if filters.get(name):
            nominals = nominals.filter(**{name: filters[name]})
    if filters.get("lead_agency"):
        nominals = nominals.filter(lead_agency=filters["lead_agency"])
    if filters.get("date_of_birth"):
        nominals = nominals.filter(date_of_birth=filters["date_of_birth"])
    return nominals.order_by(*_ordering(filters.get("sort")))


def _search(query: str) -> Q:
    """The whole name or an alias, fuzzily (trigram-indexed); or an exact identifier."""
    identifier = query.replace(" ", "").upper()
    similar_alias = Alias.objects.filter(nominal=OuterRef("pk")).filter(
        Q(name__icontains=query) | Q(name__trigram_similar=query)
    )
    return (
        Q(pnc_number__iexact=identifier) | Q(visor_number__iexact=identifier)
        | Q(prison_number__iexact=identifier)
        | Q(full_name__icontains=query) | Q(full_name__trigram_similar=query)
        | Exists(similar_alias)
    )


def possible_duplicates(
    *, given_names: str, family_name: str, date_of_birth: date | None, pnc_number: str = "",
    aliases: list[str] | None = None, exclude_pk: int | None = None,
) -> QuerySet[Nominal]:
    """Records that may be the same person: same PNC number, or same date of birth and a
    similar name or alias. Searches every record, archived too, whoever is asking: a
    duplicate must be caught even on a case the user cannot see (that one is then named
    to the Co-ordinator only: services.duplicate_check_hidden)."""
    names = [f"{given_names} {family_name}".strip(), *(aliases or [])]
    match = Q(pk__in=[])
    if pnc_number.strip():
        match |= Q(pnc_number__iexact=pnc_number.strip())
    if date_of_birth:
        alias_similarity = Alias.objects.filter(nominal=OuterRef("pk")).annotate(
            best=Greatest(*[TrigramSimilarity("name", n) for n in names], Value(0.0))
        ).filter(best__gte=SIMILAR_NAME)
        same_dob = Nominal.objects.filter(date_of_birth=date_of_birth).annotate(
            name_similarity=Greatest(*[TrigramSimilarity("full_name", n) for n in names],
                                     Value(0.0))
        ).filter(Q(name_similarity__gte=SIMILAR_NAME) | Exists(alias_similarity))
        match |= Q(pk__in=same_dob.values("pk"))
    duplicates = Nominal.objects.filter(match)
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    return duplicates.order_by("family_name", "given_names", "id")


def retention_review(user, *, on: date | None = None) -> QuerySet[Nominal]:
    """Archived records due for their retention review (§13.3): their subject has reached
    their 100th birthday, or the next review date the last decision to keep them gave
    (`review_due`, as the deadline sweep's rule says)."""
    if not access.can_review_retention(user):
        return Nominal.objects.none()
    on = on or timezone.localdate()
    return nominals_for(user).filter(status=Status.ARCHIVED).annotate(
        review_due=retention_due()).filter(review_due__lte=on).order_by("review_due", "id")


def deviations_for(user) -> QuerySet[Deviation]:
    return Deviation.objects.visible_to(user).select_related("nominal", "decided_by") \
        .order_by("-decided_on", "-id")


# -- the case page ----------------------------------------------------------------------


# What each section of the case page (cases.sections) reads with the case: a fixed number
# of queries whatever the number of rows.
SECTION_PREFETCHES = {
    "summary": ("aliases", "addresses", "transfers"),
    "risk": ("level_history", "rosh_history", "risk_assessments"),
    "team": ("team", "agencies"),
    "history": ("deviations", "status_history"),
}


def nominal_page(user, section: str = "summary") -> QuerySet[Nominal]:
    """Visible nominals with everything one section of the case page shows."""
    from django.db.models import F, Prefetch

    from .models import (
        CaseAgency,
        LevelChange,
        RiskAssessment,
        RoshAssessment,
        StatusChange,
        TeamMember,
        Transfer,
    )

    prefetches = {
        "aliases": "aliases",
        "addresses": "addresses",
        "level_history": Prefetch("level_history",
                                  LevelChange.objects.select_related("decided_by")),
        "rosh_history": Prefetch("rosh_history",
                                 RoshAssessment.objects.select_related("assessed_by")),
        "risk_assessments": Prefetch(
            "risk_assessments", RiskAssessment.objects.select_related("agency", "recorded_by")),
        "team": Prefetch("team", TeamMember.objects.select_related("user__agency", "added_by")
                         .order_by("role", "-date_from", "user__last_name", "id")),
        "agencies": Prefetch("agencies", CaseAgency.objects.select_related("agency")
                             .order_by(F("date_to").desc(nulls_first=True), "agency__name")),
        "transfers": Prefetch("transfers", Transfer.objects.select_related("recorded_by")),
        "deviations": Prefetch("deviations", Deviation.objects.select_related("decided_by")),
        "status_history": Prefetch("status_history", StatusChange.objects.select_related("by")),
    }
    return nominals_for(user).select_related(
        "lead_agency", "case_manager__agency", "visor_manager__agency",
    ).prefetch_related(*(prefetches[name] for name in SECTION_PREFETCHES.get(section, ())))


# -- the case pages' forms ------------------------------------------------------------------


def victims_of(user, nominal: Nominal) -> QuerySet:
    """The victims of a case, for a user holding the victim permission on it; else none."""
    from .models import Victim

    if not access.can_view_victims(user, nominal):
        return Victim.objects.none()
    return Victim.objects.filter(nominal=nominal).select_related("recorded_by").order_by("id")


def visible_among(user, pks) -> set[int]:
    """Which of these nominal ids `user` may see (e.g. possible duplicates to link to)."""
    return set(nominals_for(user).filter(pk__in=list(pks)).values_list("pk", flat=True))


def case_access_overview(nominal: Nominal) -> dict:
    """The Co-ordinator's view of who is kept off a case and who is named on it."""
    from .models import Exclusion, NamedAccess

    return {
        "exclusions": Exclusion.objects.filter(nominal=nominal)
        .select_related("user__agency", "recorded_by").order_by("recorded_at", "id"),
        "named": NamedAccess.objects.filter(nominal=nominal)
        .select_related("user__agency", "recorded_by").order_by("user__last_name", "id"),
    }


def contacts_for(user) -> QuerySet[ContactEntry]:
    """Chronology entries of the cases `user` sees (the API's list), newest first."""
    return ContactEntry.objects.visible_to(user).select_related(
        "recorded_by", "nominal").order_by("-occurred_at", "-id")


def chronology_of(nominal: Nominal) -> QuerySet[ContactEntry]:
    """A case's chronology, newest first, with who wrote each entry (one query a page); the
    caller has already checked that the user sees the case."""
    return nominal.contacts.select_related("recorded_by").order_by("-occurred_at", "-id")
