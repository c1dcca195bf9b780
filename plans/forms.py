"""The Risk Management Plan's forms: an action, a progress entry, carrying actions to a
meeting, a level 1 review, a home visit, and the filters of "My actions".

Forms only validate; the views hand the cleaned data to plans/services.py, which
checks again and writes.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import dateformat, timezone

from cases.forms import NOT_IN_FUTURE
from cases.models import Nominal
from jmappa.accounts.models import Agency, User
from jmappa.core.forms import (
    DateInput,
    FilterForm,
    PlainWords,
    UserChoiceField,
    opened_values,
    read_opened,
    sign_opened,
)

from . import services as plan_services
from .models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    ActionType,
    HomeVisit,
    Level1Review,
    PlanAction,
)

NOTE_MESSAGE = "Say what was done, or why it could not be."

# The fields of an action its editors fill in, in the order of the form.
ACTION_FORM_FIELDS = ["description", "action_type", "owner_agency", "owner", "due_date",
                      "plan_reference", "meeting"]


def _text(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def meeting_label(meeting) -> str:
    when = dateformat.format(timezone.localtime(meeting.starts_at), "j F Y")
    return f"{meeting.get_kind_display()}, {when}"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return meeting_label(meeting)


def case_meetings(nominal: Nominal):
    """The case's meetings, not cancelled, latest first."""
    from meetings.models import Meeting, MeetingStatus

    return Meeting.objects.filter(nominal=nominal).exclude(
        status=MeetingStatus.CANCELLED).order_by("-starts_at", "-id")


class OwnerSelect(forms.Select):
    """Each person carries their agency's id (`data-agency`): plan.js narrows the list to
    the owning agency chosen. Without JavaScript the whole list still works."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-agency"] = str(instance.agency_id or "")
        return option


class ActionForm(PlainWords, forms.ModelForm):
    """An action of the plan (§8.3): SMART, owned by an agency and where possible a named
    person of it, with a completion date."""

    class Meta:
        model = PlanAction
        fields = ACTION_FORM_FIELDS
        widgets = {"description": _text(3), "due_date": DateInput}
        labels = {
            "description": "What will be done",
            "action_type": "Type of action",
            "owner_agency": "Owning agency",
            "owner": "Named owner",
            "due_date": "Completion date",
            "plan_reference": "Supervision or sentence plan",
            "meeting": "Agreed at",
        }
        help_texts = {
            "description": "Specific and measurable: what, by whom, how often, and what will "
                           "show it is done (SMART, §8.3).",
            "plan_reference": "Optional: the objective of the agency's own supervision or "
                              "sentence plan this action serves.",
            "due_date": "Every action has a date for completion.",
        }
        error_messages = {"description": {"required": plan_services.DESCRIPTION_MESSAGE}}

    def __init__(self, *args, nominal: Nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominal = nominal
        instance = self.instance
        self.fields["owner_agency"].queryset = Agency.objects.filter(
            Q(is_active=True) | Q(pk=instance.owner_agency_id or 0)).order_by("name")
        people = User.objects.filter(Q(is_active=True) | Q(pk=instance.owner_id or 0)) \
            .exclude(Q(case_exclusions__nominal=nominal) & ~Q(pk=instance.owner_id or 0))
        self.fields["owner"] = UserChoiceField(
            queryset=people.select_related("agency").order_by("last_name", "first_name",
                                                              "username"),
            required=False, label="Named owner", empty_label="No named owner",
            widget=OwnerSelect(attrs={"data-search": "people", "data-owner-of": "owner_agency"}),
            help_text="Wherever possible, a named person of the owning agency. They see the "
                      "case while they own one of its actions.")
        self.fields["meeting"] = MeetingChoiceField(
            queryset=case_meetings(nominal), required=False, label="Agreed at",
            empty_label="Not agreed at a meeting",
            help_text="The meeting that agreed the action.")
        self.fields["action_type"].choices = [("", "Choose the type"), *ActionType.choices]

    def clean(self):
        data = super().clean()
        agency, owner = data.get("owner_agency"), data.get("owner")
        if owner is not None and agency is not None:
            for name, message in plan_services.owner_errors(self.nominal, agency,
                                                            owner).items():
                self.add_error(name, message)
        description = (data.get("description") or "").strip()
        if "description" in data and not description:
            self.add_error("description", plan_services.DESCRIPTION_MESSAGE)
        return data

    def action_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ACTION_FORM_FIELDS}


class ActionEditForm(ActionForm):
    """Carries the version the user opened and, signed, the values they saw: a save over
    someone else's is refused with what they changed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    SALT = "cases.action-edit"

    @classmethod
    def opened_token(cls, action: PlanAction) -> str:
        return sign_opened(action, ACTION_FORM_FIELDS, cls.SALT)

    def opened_action(self) -> PlanAction | None:
        """The action as the user saw it when they opened the form, if the token is good."""
        token = read_opened(self.cleaned_data.get("opened"), self.SALT, self.instance.pk)
        values = token and opened_values(PlanAction, ACTION_FORM_FIELDS, token)
        if values is None:
            return None
        action = PlanAction(pk=self.instance.pk, nominal_id=self.instance.nominal_id, **values)
        for name in ("status", "completed_on"):
            setattr(action, name, getattr(self.instance, name))
        return action


class ProgressForm(PlainWords, forms.Form):
    """What was done, when, and the action's status after it."""

    on = forms.DateField(label="Date", widget=DateInput,
                         error_messages={"required": "Enter the date it was done."})
    note = forms.CharField(label="What was done", widget=_text(2), max_length=4000,
                           error_messages={"required": NOTE_MESSAGE})
    status = forms.ChoiceField(label="New status", choices=ActionStatus.choices,
                               error_messages={"required": "Choose the status after this."})
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: PlanAction, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "on": timezone.localdate(), "version": action.version,
            # Logging progress on an open action usually means it is under way.
            "status": ActionStatus.IN_PROGRESS if action.status == ActionStatus.OPEN
            else action.status,
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        self.action = action

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(NOT_IN_FUTURE)
        return on

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError(NOTE_MESSAGE)
        return note


class CarryForm(PlainWords, forms.Form):
    meeting = MeetingChoiceField(queryset=None, label="Carry to the meeting",
                                 empty_label=None)

    def __init__(self, *args, nominal: Nominal, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = case_meetings(nominal)
        self.fields["meeting"].queryset = meetings
        upcoming = meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
        if upcoming is not None:
            self.fields["meeting"].initial = upcoming.pk


class Level1ReviewForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Level1Review
        fields = ["reviewed_on", "new_information", "plan_review", "referral_needed"]
        widgets = {"reviewed_on": DateInput, "new_information": _text(4),
                   "plan_review": _text(4)}
        labels = {
            "reviewed_on": "Date of the review",
            "new_information": "New information affecting the risk assessment or the plan",
            "plan_review": "The plan reviewed: what was revised",
            "referral_needed": "The case now needs a referral to a level 2 or 3 meeting",
        }
        help_texts = {
            "new_information": "From every agency involved; write “None” if there is none.",
            "referral_needed": "If so, refer it to the JMAPPA Co-ordinator (§10.4).",
        }
        error_messages = {
            "new_information": {"required": "Say what new information there is, or write "
                                            "“None”."},
            "plan_review": {"required": "Say how the plan was reviewed and what was revised."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()

    def clean_reviewed_on(self):
        on = self.cleaned_data["reviewed_on"]
        if on > timezone.localdate():
            raise ValidationError(NOT_IN_FUTURE)
        return on


class HomeVisitForm(PlainWords, forms.ModelForm):
    announced = forms.TypedChoiceField(
        label="Was the visit announced?", coerce=lambda value: value == "True",
        choices=[("True", "Announced"), ("False", "Unannounced")], widget=forms.RadioSelect,
        error_messages={"required": "Say whether the visit was announced."})

    class Meta:
        model = HomeVisit
        fields = ["visited_on", "visited_by", "announced", "notes"]
        widgets = {"visited_on": DateInput, "notes": _text(4)}
        labels = {"visited_on": "Date of the visit", "visited_by": "Who visited",
                  "notes": "Notes"}
        help_texts = {
            "visited_by": "Names and agencies, e.g. a joint Police and Probation visit.",
            "notes": "What was seen of the offender's lifestyle and home (§14.8, §14.9).",
        }
        error_messages = {"visited_by": {"required": "Say who visited, and for which agency."}}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["announced"].initial = "True"
        if user is not None:
            name = user.get_full_name() or user.username
            self.fields["visited_by"].initial = f"{name}, {user.agency}" if user.agency_id \
                else name

    def clean_visited_on(self):
        on = self.cleaned_data["visited_on"]
        if on > timezone.localdate():
            raise ValidationError(NOT_IN_FUTURE)
        return on


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, nominal):
        return f"{nominal.reference}: {nominal}"


class MyActionsFilterForm(forms.Form):
    """The filters of "My actions": always bound, every field optional."""

    whose = forms.ChoiceField(label="Whose", required=False, choices=[
        ("", "Mine and my agency's"), ("me", "Named to me"), ("agency", "My agency's")])
    case = CaseChoiceField(label="Case", queryset=Nominal.objects.none(), required=False,
                           empty_label="Every case", error_messages={
                               "invalid_choice": "None of your open actions is on that case: "
                                                 "choose another, or every case."})
    status = forms.ChoiceField(label="Status", required=False, choices=[
        ("", "Open or in progress"),
        *[(s.value, s.label) for s in ActionStatus if s in OPEN_ACTION_STATUSES]])
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is not None:
            self.fields["case"].queryset = cases

    def selector_filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}

    def is_filtered(self) -> bool:
        return bool(self.selector_filters())


class HomeVisitScheduleFilterForm(FilterForm):
    """The filters of the home-visit schedule: always bound, every field optional."""

    due = forms.ChoiceField(label="Due", choices=[
        ("", "Overdue or due within a month"), ("overdue", "Overdue"),
        ("all", "Every visit on the schedule")])
    whose = forms.ChoiceField(label="Cases", choices=[
        ("", "Where I am the ViSOR or case manager"), ("all", "Every case I can see")])

    def filters(self) -> dict:
        # A value that is not valid is said beside its field and not applied.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"due": data.get("due") or "", "mine": data.get("whose") != "all"}
