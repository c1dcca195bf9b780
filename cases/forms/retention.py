"""The retention review's outcome (§13.3): keep the record, or remove it. The rules (the
review is due, the next review in the future, the reason naming nobody, the reference
typed) are the services' (cases/retention.py); the forms ask."""

from __future__ import annotations

from django import forms

from jmappa.core.forms import DateInput, PlainWords, text_area


class RetentionKeepForm(PlainWords, forms.Form):
    reason = forms.CharField(label="Why the record is kept", widget=text_area(4))
    next_review_on = forms.DateField(
        label="Date of the next review", widget=DateInput,
        help_text="The record is reviewed again on this date: a date in the future.")


class RetentionRemoveForm(PlainWords, forms.Form):
    reason = forms.CharField(
        label="Why the record is removed", widget=text_area(3),
        help_text="The audit trail keeps this once the record is gone: do not name the person "
                  "or give their date of birth, numbers or address.")
    confirm_reference = forms.CharField(
        label="Type the case reference to confirm", max_length=20,
        help_text="The reference is shown at the top of this page, for example J000123.")
