"""The filter of the register of requests for minutes: one meaning for the page and the
API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from .models import MinutesRequest, Requester, RequestOutcome
from .rules import request_not_clarified, summary_not_issued


def overdue_ids(day) -> set[int]:
    """The requests past a time rule on `day` (not clarified, or no summary issued)."""
    return {row["subject_id"] for rule in (request_not_clarified, summary_not_issued)
            for row in rule(day, horizon=day).filter(due_on__lt=day)}


class MinutesRequestFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(choices=RequestOutcome.choices, label="Outcome")
    requester_kind = django_filters.ChoiceFilter(choices=Requester.choices, label="Who asked")
    overdue = django_filters.BooleanFilter(method="filter_overdue",
                                           label="Past its time limit")

    class Meta:
        model = MinutesRequest
        fields = ["outcome", "requester_kind", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        ids = overdue_ids(timezone.localdate())
        return queryset.filter(pk__in=ids) if value else queryset.filter(~Q(pk__in=ids))
