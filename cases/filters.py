"""The filters of the case list; the CSV export and the API use the same meaning."""

from __future__ import annotations

from django import forms

from jmappa.accounts.models import Agency
from jmappa.core.forms import FilterForm

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
    """Bind it to the query string even when empty: an empty one means active cases."""

    q = forms.CharField(label="Name, alias or number", max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}))
    date_of_birth = forms.DateField(label="Date of birth", widget=_date_input())
    category = forms.ChoiceField(choices=[("", "Any category"), *Category.choices])
    level = forms.ChoiceField(choices=[("", "Any level"), *Level.choices])
    rosh = forms.ChoiceField(label="Risk of serious harm",
                             choices=[("", "Any risk"), *RiskLevel.choices])
    lead_agency = forms.ModelChoiceField(queryset=Agency.objects.order_by("name"),
                                         empty_label="Any agency")
    status = forms.ChoiceField(choices=[*Status.choices, (ALL_STATUSES, "Active and archived")])
    custody_status = forms.ChoiceField(label="Custody",
                                       choices=[("", "Anywhere"), *CustodyStatus.choices])
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES)

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
