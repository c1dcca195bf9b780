"""The chronology's form: one contact, on a day and at a time."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone

from jmappa.core.forms import DateInput, PlainWords, text_area

from ..models import ContactKind


class ContactForm(PlainWords, forms.Form):
    on = forms.DateField(label="Date of the contact", widget=DateInput)
    at = forms.TimeField(
        label="Time of the contact", input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text="On the 24-hour clock, for example 14:30.",
        error_messages={"invalid": "Enter the time as hours and minutes, for example 14:30."},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off",
                                      "spellcheck": "false"}))
    kind = forms.ChoiceField(label="Kind of contact", choices=ContactKind.choices,
                             widget=forms.RadioSelect)
    who = forms.CharField(label="Who had the contact", max_length=300,
                          help_text="Name and agency, for example PC Le Brun, Police.")
    summary = forms.CharField(label="Summary", widget=text_area(5))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["on"].initial = now.date()
        self.fields["at"].initial = now.strftime("%H:%M")

    def service_fields(self) -> dict:
        """The cleaned data as the service takes it: one date and time."""
        data = self.cleaned_data
        moment = timezone.make_aware(datetime.combine(data["on"], data["at"]))
        return {"occurred_at": moment, "kind": data["kind"], "who": data["who"],
                "summary": data["summary"]}
