from django import forms
from django.contrib.auth import get_user_model

from jmappa.core.forms import FilterForm

from .models import Channel, Verb


class AuditFilterForm(FilterForm):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"), required=False,
        empty_label="Anyone",
    )
    case = forms.IntegerField(label="Case number", required=False, min_value=1)
    action = forms.ChoiceField(choices=[("", "Any action"), *Verb.choices], required=False)
    channel = forms.ChoiceField(choices=[("", "Any channel"), *Channel.choices], required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data
