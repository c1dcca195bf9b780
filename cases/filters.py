"""The filters of the case list; the CSV export and the API use the same meaning."""

from __future__ import annotations

import django_filters
from django import forms

from jmappa.accounts.models import Agency
from jmappa.core.forms import FilterForm

from . import selectors
from .models import Category, CustodyStatus, Level, RiskLevel, Status

ALL_STATUSES = "all"

SORT_CHOICES = [
    ("name", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("dob", "Oldest first"),
    ("-dob", "Youngest first"),
    ("category", "Category"),
    ("level", "Level, highest first"),
    ("risk", "Risk of serious harm, highest first"),
    ("updated", "Recently updated"),
]

# Column headers that sort the list: the sort a click asks for, given the current one.
# Two values toggle between them (ascending, descending); one value is the only direction.
SORTABLE_COLUMNS = {
    "name": ("name", "-name"),
    "dob": ("dob", "-dob"),
    "category": ("category",),
    "level": ("level",),
    "risk": ("risk",),
}
SORT_DIRECTION = {
    "name": "ascending", "-name": "descending", "dob": "ascending", "-dob": "descending",
    "category": "ascending", "level": "descending", "risk": "descending",
}


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NominalFilterForm(FilterForm):
    """The case list's filter form (its fields are NominalFilter's). Bound to the query
    string even when empty: an empty one means active cases."""

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data.get("q", "").split())

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or Status.ACTIVE

    def clean_sort(self) -> str:
        return self.cleaned_data.get("sort") or "name"

    def selector_filters(self) -> dict:
        """The cleaned data in the terms of selectors.nominal_list."""
        filters = dict(self.cleaned_data)
        if filters.get("status") == ALL_STATUSES:
            filters["status"] = None
        return filters

    def is_filtered(self) -> bool:
        """Whether anything narrows the list beyond the default of active cases."""
        data = self.cleaned_data
        return data.get("status") != Status.ACTIVE or any(
            data.get(name) not in (None, "") for name in data if name not in ("status", "sort")
        )

    def describe(self) -> str:
        """The filters in use, for the audit trail of an export."""
        parts = [f"{name}={value}" for name, value in self.cleaned_data.items()
                 if value not in (None, "")]
        return "filters: " + (", ".join(parts) or "none")


class NominalFilter(django_filters.FilterSet):
    """The case list's filters: the page, its CSV export and the API's list of offenders.
    Bound to the query string even when empty: an empty one means active cases."""

    q = django_filters.CharFilter(label="Name, alias or number", max_length=200,
                                  widget=forms.TextInput(attrs={"type": "search"}))
    date_of_birth = django_filters.DateFilter(label="Date of birth", widget=_date_input())
    category = django_filters.ChoiceFilter(label="Category", choices=Category.choices,
                                           empty_label="Any category")
    level = django_filters.ChoiceFilter(label="Level", choices=Level.choices,
                                        empty_label="Any level")
    rosh = django_filters.ChoiceFilter(label="Risk of serious harm", choices=RiskLevel.choices,
                                       empty_label="Any risk")
    lead_agency = django_filters.ModelChoiceFilter(
        label="Lead agency", queryset=Agency.objects.order_by("name"), empty_label="Any agency")
    status = django_filters.ChoiceFilter(
        label="Status", choices=[*Status.choices, (ALL_STATUSES, "Active and archived")],
        empty_label=None)
    custody_status = django_filters.ChoiceFilter(label="Custody", choices=CustodyStatus.choices,
                                                 empty_label="Anywhere")
    sort = django_filters.ChoiceFilter(label="Sort by", choices=SORT_CHOICES, empty_label=None)

    class Meta:
        form = NominalFilterForm

    def filter_queryset(self, queryset):
        return selectors.filter_nominals(queryset, self.form.selector_filters())
