import django_filters
from django import forms
from django.contrib.auth import get_user_model

from jmappa.core.forms import FilterForm

from .models import Channel, Verb
from .selectors import narrowed


class AuditFilterForm(FilterForm):
    """The audit trail's filter form (its fields are AuditFilter's)."""

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class AuditFilter(django_filters.FilterSet):
    """The audit trail's filters: its page and its CSV export."""

    user = django_filters.ModelChoiceFilter(
        label="User", queryset=get_user_model().objects.order_by("username"),
        empty_label="Anyone")
    case = IntegerFilter(label="Case number", min_value=1)
    action = django_filters.ChoiceFilter(label="Action", choices=Verb.choices,
                                         empty_label="Any action")
    channel = django_filters.ChoiceFilter(label="Channel", choices=Channel.choices,
                                          empty_label="Any channel")
    date_from = django_filters.DateFilter(
        label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(
        label="To", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        form = AuditFilterForm

    def filter_queryset(self, queryset):
        # `queryset`: the trail as the reader may read it (selectors.audit_events).
        return narrowed(queryset, self.form.cleaned_data)
