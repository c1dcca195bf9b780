"""Support planning's forms. Forms check what a person can get wrong while typing; the
services check the rules again and write."""

from __future__ import annotations

from datetime import time

from django import forms
from django.utils import timezone

from jmappa.accounts.models import AgencyKind, User
from jmappa.core.forms import DateInput, PlainWords, UserChoiceField, active_users, text_area
from jmappa.core.uploads import ACCEPT
from meetings.forms.arranging import TimeInput
from meetings.kinds import KINDS
from meetings.services.common import local_datetime

from .models import (
    Frequency,
    SendingMethod,
    SupportMeeting,
    SupportMeetingStatus,
    SupportPerson,
    SupportPlanning,
)

VERSION = {"widget": forms.HiddenInput, "required": False}


class PlanningForm(PlainWords, forms.ModelForm):
    version = forms.IntegerField(**VERSION)

    class Meta:
        model = SupportPlanning
        fields = ["trigger", "starts_on", "ends_on"]
        widgets = {"trigger": forms.RadioSelect, "starts_on": DateInput, "ends_on": DateInput}
        help_texts = {"starts_on": "The first Support Planning Meeting is due within four "
                                   "weeks of it.",
                      "ends_on": "Optional: a meeting may be held just before it."}

    def _post_clean(self):
        pass


class ExchangeForm(PlainWords, forms.ModelForm):
    """Before the first meeting, what the professionals share to decide who should attend."""

    version = forms.IntegerField(**VERSION)

    class Meta:
        model = SupportPlanning
        fields = ["offending", "victims", "risk_of_reoffending", "who_should_attend",
                  "exchanged_on"]
        widgets = {"offending": text_area(3), "victims": text_area(2),
                   "risk_of_reoffending": text_area(3), "who_should_attend": text_area(3),
                   "exchanged_on": DateInput}

    def __init__(self, *args, sees_victims: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_victims:  # the victims' details need the case's victim permission
            del self.fields["victims"]

    def _post_clean(self):
        pass


class PersonForm(PlainWords, forms.ModelForm):
    version = forms.IntegerField(**VERSION)

    class Meta:
        model = SupportPerson
        fields = ["name", "relationship", "network_role", "practical_role", "phone", "email",
                  "address", "receives_safety_plan", "receives_risks", "receives_contacts",
                  "left_on"]
        widgets = {"network_role": forms.RadioSelect, "practical_role": text_area(3),
                   "address": text_area(2), "left_on": DateInput}

    def _post_clean(self):
        pass


class ConsentForm(PlainWords, forms.Form):
    information = forms.CharField(
        label="The information the person agreed to share", widget=text_area(4),
        help_text="As the signed form names it: e.g. the offences, the specific risks, the "
                  "safety plan, the conditions of the order.")
    signed_on = forms.DateField(label="Signed on", widget=DateInput)
    upload = forms.FileField(label="The signed form", required=False,
                             help_text="A scan of the signed consent form.",
                             widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class WithdrawForm(PlainWords, forms.Form):
    on = forms.DateField(label="Withdrawn on", widget=DateInput)


class ArrangeForm(PlainWords, forms.Form):
    day = forms.DateField(label="Date", widget=DateInput)
    clock = forms.TimeField(label="Time", widget=TimeInput, initial=time(10))
    location = forms.CharField(label="Where", required=False, max_length=200)

    def starts_at(self):
        return local_datetime(self.cleaned_data["day"], self.cleaned_data["clock"])


class RecordForm(PlainWords, forms.ModelForm):
    """The meeting held, its record in the order the meeting follows (meetings/kinds.py)."""

    person_present = forms.BooleanField(
        label="The person was at the meeting", required=False,
        help_text="A Support Planning Meeting is held with the person.")
    attendees = forms.ModelMultipleChoiceField(
        queryset=SupportPerson.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, label="Members of the network present")
    version = forms.IntegerField(**VERSION)

    class Meta:
        model = SupportMeeting
        fields = ["professionals_present", *(s.name for s in KINDS["support_planning"].sections),
                  "next_frequency"]
        widgets = {name: text_area(4) for name in [
            "professionals_present", *(s.name for s in KINDS["support_planning"].sections)]}
        widgets["next_frequency"] = forms.RadioSelect
        labels = {s.name: s.label for s in KINDS["support_planning"].sections}

    def __init__(self, *args, nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = SupportPerson.objects.filter(
            nominal=nominal, left_on__isnull=True)
        self.fields["next_frequency"].choices = Frequency.choices
        self.fields["next_frequency"].required = False

    def _post_clean(self):
        pass


class SafetyPlanForm(PlainWords, forms.Form):
    conditions = forms.CharField(label="The Court or Parole Board conditions it addresses",
                                 widget=text_area(3), required=False)
    strategies = forms.CharField(label="Strategies for an offence-free life",
                                 widget=text_area(5))
    supporters = forms.CharField(label="Each supporter's part", widget=text_area(5),
                                 help_text="Who does what: transport, appointments, phone "
                                           "contact, the warning signs they watch for.")
    warning_signs = forms.CharField(label="Warning signs and what to do", widget=text_area(3),
                                    required=False)
    reviewed_at = forms.ModelChoiceField(
        queryset=SupportMeeting.objects.none(), required=False,
        label="Agreed or reviewed at the meeting of", empty_label="Not at a meeting")

    def __init__(self, *args, nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_at"].queryset = SupportMeeting.objects.filter(
            nominal=nominal, status=SupportMeetingStatus.HELD)
        self.fields["reviewed_at"].label_from_instance = (
            lambda m: f"{timezone.localtime(m.starts_at):%-d %B %Y}")


class SendForm(PlainWords, forms.Form):
    method = forms.ChoiceField(label="How it is sent", choices=SendingMethod.choices,
                               widget=forms.RadioSelect)
    sent_on = forms.DateField(label="Sent on", widget=DateInput)


class OffendingForm(PlainWords, forms.Form):
    what = forms.CharField(label="What was disclosed", widget=text_area(4))
    disclosed_on = forms.DateField(label="Disclosed on", widget=DateInput)
    police_contact = UserChoiceField(queryset=User.objects.none(),
                                     label="Police officer it is passed to")
    meeting = forms.ModelChoiceField(queryset=SupportMeeting.objects.none(), required=False,
                                     label="At the meeting of", empty_label="Not at a meeting")

    def __init__(self, *args, nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_contact"].queryset = active_users().filter(
            agency__kind=AgencyKind.POLICE)
        self.fields["meeting"].queryset = SupportMeeting.objects.filter(nominal=nominal)
        self.fields["meeting"].label_from_instance = (
            lambda m: f"{timezone.localtime(m.starts_at):%-d %B %Y}")


class PassedOnForm(PlainWords, forms.Form):
    passed_on = forms.DateField(label="Passed to the Police on", widget=DateInput)
    police_reference = forms.CharField(label="Police reference", required=False,
                                       max_length=100)
    version = forms.IntegerField(**VERSION)


class CancelForm(PlainWords, forms.Form):
    reason = forms.CharField(label="Why it is cancelled", widget=text_area(3))
    version = forms.IntegerField(**VERSION)


class FinaliseForm(PlainWords, forms.Form):
    version = forms.IntegerField(**VERSION)
