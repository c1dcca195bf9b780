"""Custody and joined-up planning's forms. Forms check what a person can get wrong while
typing; the services check the rules again and write."""

from __future__ import annotations

from django import forms

from interventions.models import PackageIntervention
from jmappa.accounts.models import AgencyKind
from jmappa.core.forms import DateInput, PlainWords, UserChoiceField, active_users, text_area
from jmappa.core.uploads import ACCEPT
from meetings.kinds import KINDS

from .models import (
    Breach,
    BreachAction,
    Condition,
    CustodyEvent,
    JoinedUpMember,
    PlanningMeeting,
    PlanningMeetingKind,
    PlanningMeetingStatus,
    Recall,
    Sentence,
    TeamAction,
    TeamRole,
)

VERSION = {"widget": forms.HiddenInput, "required": False}


class ServiceChecked:
    """The model's own checks are the service's: the form keeps what was typed."""

    def _post_clean(self):
        pass


class SentenceForm(ServiceChecked, PlainWords, forms.ModelForm):
    class Meta:
        model = Sentence
        fields = ["kind", "length_months", "sentenced_on", "earliest_release_on",
                  "temporary_release_on", "licence_end_on", "sentence_end_on",
                  "establishment", "offence"]
        widgets = {"kind": forms.RadioSelect, "sentenced_on": DateInput,
                   "earliest_release_on": DateInput, "temporary_release_on": DateInput,
                   "licence_end_on": DateInput, "sentence_end_on": DateInput,
                   "offence": text_area(2)}
        help_texts = {
            "earliest_release_on": "The time left, and so who leads the joined-up team, is "
                                   "counted to it.",
            "temporary_release_on": "A JMAPP meeting is due 6 months before it (§10.4).",
            "sentence_end_on": "The Final Review Meeting is held by then."}


class EventForm(ServiceChecked, PlainWords, forms.ModelForm):
    class Meta:
        model = CustodyEvent
        fields = ["kind", "occurred_on", "establishment", "receiving_told", "notes"]
        widgets = {"kind": forms.RadioSelect, "occurred_on": DateInput, "notes": text_area(2)}
        help_texts = {"receiving_told": "On a transfer to another prison or to hospital "
                                        "(§3.1, §12)."}


class ConditionForm(ServiceChecked, PlainWords, forms.ModelForm):
    class Meta:
        model = Condition
        fields = ["kind", "terms", "excluded_places", "named_people", "starts_on", "ends_on"]
        widgets = {"kind": forms.RadioSelect, "terms": text_area(3),
                   "excluded_places": text_area(2), "named_people": text_area(2),
                   "starts_on": DateInput, "ends_on": DateInput}

    def __init__(self, *args, sees_victims: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_victims:  # the people named are read with the victim permission only
            del self.fields["named_people"]


class BreachForm(ServiceChecked, PlainWords, forms.ModelForm):
    class Meta:
        model = Breach
        fields = ["condition", "intervention", "occurred_on", "what_happened", "reported_by",
                  "action", "action_on"]
        widgets = {"occurred_on": DateInput, "what_happened": text_area(3),
                   "action": forms.RadioSelect, "action_on": DateInput}
        help_texts = {"condition": "Leave empty for other non-compliance.",
                      "intervention": "Where the person did not comply with an intervention "
                                      "of their package.",
                      "action": "A recall requested is decided swiftly (§14.7): it shows as "
                                "an alert until it is."}

    def __init__(self, *args, nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].queryset = Condition.objects.filter(nominal=nominal)
        self.fields["intervention"].queryset = PackageIntervention.objects.filter(
            package__nominal=nominal).select_related("intervention")
        self.fields["action"].choices = BreachAction.choices


class RecallForm(ServiceChecked, PlainWords, forms.ModelForm):
    recalled = forms.TypedChoiceField(
        label="Is the person recalled to prison?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, recalled"), ("no", "No, not recalled")],
        coerce=lambda value: value == "yes")

    class Meta:
        model = Recall
        fields = ["decided_on", "recalled", "reasons", "what_led", "what_broke_down",
                  "what_helped", "needed_on_release"]
        widgets = {"decided_on": DateInput, "reasons": text_area(3), "what_led": text_area(3),
                   "what_broke_down": text_area(3), "what_helped": text_area(3),
                   "needed_on_release": text_area(3)}


class MemberForm(ServiceChecked, PlainWords, forms.ModelForm):
    user = UserChoiceField(queryset=None, required=False, label="User of the service",
                           help_text="They are told when the lead changes.")

    class Meta:
        model = JoinedUpMember
        fields = ["role", "user", "name", "organisation", "contact", "joined_on", "left_on"]
        widgets = {"role": forms.RadioSelect, "joined_on": DateInput, "left_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_users()


class ArrangeForm(ServiceChecked, PlainWords, forms.ModelForm):
    class Meta:
        model = PlanningMeeting
        fields = ["kind", "held_on", "mode", "place", "chair"]
        widgets = {"kind": forms.RadioSelect, "held_on": DateInput, "mode": forms.RadioSelect,
                   "chair": forms.RadioSelect}
        help_texts = {"chair": "The lead organises and chairs: the Prison Offender Manager with "
                               "more than 10 months left, else the Probation Practitioner."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PlanningMeetingKind.choices
        self.fields["chair"].choices = [
            (role.value, role.label) for role in (TeamRole.POM, TeamRole.PROBATION,
                                                  TeamRole.CARE_EXPERIENCE)]


class RecordForm(ServiceChecked, PlainWords, forms.ModelForm):
    """The meeting's record: the sections of its kind (meetings/kinds.py)."""

    present = forms.ModelMultipleChoiceField(
        queryset=JoinedUpMember.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, label="Members of the team present")
    person_present = forms.BooleanField(label="The person was at the meeting", required=False)
    held = forms.BooleanField(
        label="The meeting was held: make the record final", required=False,
        help_text="Leave unticked to save the record and come back to it.")
    version = forms.IntegerField(**VERSION)

    class Meta:
        model = PlanningMeeting
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance
        kind = KINDS[meeting.kind]
        for section in kind.sections:
            self.fields[section.name] = forms.CharField(
                label=section.label, required=False, widget=text_area(4),
                initial=getattr(meeting, section.name))
        self.fields["present"].queryset = JoinedUpMember.objects.filter(
            nominal=meeting.nominal_id, left_on__isnull=True)
        self.fields["present"].initial = list(meeting.present.values_list("pk", flat=True))
        self.fields["person_present"].initial = meeting.person_present
        self.fields["version"].initial = meeting.version
        self.order_fields(["present", "person_present",
                           *(s.name for s in kind.sections), "held"])


class ActionForm(ServiceChecked, PlainWords, forms.ModelForm):
    class Meta:
        model = TeamAction
        fields = ["action", "owner", "by_the_person", "due_on", "agreed_at"]
        widgets = {"action": text_area(3), "due_on": DateInput}

    def __init__(self, *args, nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = JoinedUpMember.objects.filter(
            nominal=nominal, left_on__isnull=True).select_related("user")
        self.fields["agreed_at"].queryset = PlanningMeeting.objects.filter(
            nominal=nominal).exclude(status=PlanningMeetingStatus.CANCELLED)


class ActionUpdateForm(PlainWords, forms.Form):
    note = forms.CharField(label="Progress, or what the meeting decided", widget=text_area(3))
    meeting = forms.ModelChoiceField(queryset=PlanningMeeting.objects.none(), required=False,
                                     label="Reviewed at the meeting")
    due_on = forms.DateField(label="To be completed by", widget=DateInput, required=False,
                             help_text="Change it only where the meeting agreed a new date.")
    done_on = forms.DateField(label="Completed on", widget=DateInput, required=False)
    version = forms.IntegerField(**VERSION)

    def __init__(self, *args, nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = PlanningMeeting.objects.filter(
            nominal=nominal, status=PlanningMeetingStatus.HELD)


class JointVisitForm(PlainWords, forms.Form):
    visited_on = forms.DateField(label="Visited on", widget=DateInput)
    police_officer = UserChoiceField(queryset=None, label="For the Police")
    probation_officer = UserChoiceField(queryset=None, label="For Probation")
    purpose = forms.CharField(label="What the visit covered", widget=text_area(3),
                              help_text="The release plan, its conditions and restrictions, "
                                        "what the person was told.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_officer"].queryset = active_users().filter(
            agency__kind=AgencyKind.POLICE)
        self.fields["probation_officer"].queryset = active_users().filter(
            agency__kind=AgencyKind.PROBATION)


class CancelForm(PlainWords, forms.Form):
    """Nothing to type: the button says it."""


class MyPlanForm(PlainWords, forms.Form):
    upload = forms.FileField(label="My Plan", help_text="The plan as completed with the person.",
                             widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    note = forms.CharField(label="What changed", required=False, widget=text_area(2))


class PathwayReviewForm(PlainWords, forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DateInput)
    reviewed_by = forms.ModelChoiceField(queryset=JoinedUpMember.objects.none(),
                                         label="The Personal Advisor")
    summary = forms.CharField(label="What changed in the Pathway Plan", widget=text_area(3))
    team_took_part = forms.BooleanField(label="The joined-up team took part", required=False)

    def __init__(self, *args, nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_by"].queryset = JoinedUpMember.objects.filter(
            nominal=nominal, role=TeamRole.PERSONAL_ADVISOR).select_related("user")
