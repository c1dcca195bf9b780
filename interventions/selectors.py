"""Reads of intervention packages and their catalogue that the pages and the API share: a
package and everything under it follow the case's access rule (whoever reads the case reads
its package); the catalogue is read by whoever works on cases."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    PLACE_STAGES,
    Intervention,
    InterventionPackage,
    PackageChange,
    PackageEntry,
    PackageIntervention,
    PackageStatus,
    ReviewPoint,
)


def catalogue() -> QuerySet:
    """The catalogue, each intervention with its provider and the places taken in packages
    in force."""
    return Intervention.objects.select_related("provider", "provider__agency").annotate(
        taken=Count("placements", filter=Q(placements__stage__in=PLACE_STAGES,
                                           placements__package__status=PackageStatus.OPEN))
    ).order_by("name", "id")  # a grouped query drops the model's ordering


def active_catalogue() -> QuerySet:
    return catalogue().filter(is_active=True, provider__is_active=True)


def packages_visible(user) -> QuerySet:
    return InterventionPackage.objects.visible_to(user).select_related("nominal")


def items_visible(user) -> QuerySet:
    return PackageIntervention.objects.filter(
        package__in=InterventionPackage.objects.visible_to(user)).select_related(
        "package", "package__nominal", "intervention", "intervention__provider", "after",
        "after__intervention")


def review_points_visible(user) -> QuerySet:
    return ReviewPoint.objects.visible_to(user).select_related("package", "nominal",
                                                               "responsible")


def with_parts(packages: QuerySet) -> QuerySet:
    """Packages with everything that hangs from them, in a fixed number of queries."""
    return packages.prefetch_related(
        Prefetch("interventions", queryset=PackageIntervention.objects.select_related(
            "intervention", "intervention__provider", "after", "after__intervention")),
        Prefetch("entries", queryset=PackageEntry.objects.select_related(
            "intervention__intervention", "recorded_by")),
        Prefetch("review_points", queryset=ReviewPoint.objects.select_related("responsible")),
        Prefetch("changes", queryset=PackageChange.objects.select_related("changed_by")))


def case_packages(user, nominal) -> list[InterventionPackage]:
    """The case's packages, the one in force first, each with its interventions, log, review
    points and history: a constant number of queries however long they grow."""
    return list(with_parts(packages_visible(user).filter(nominal=nominal)))
