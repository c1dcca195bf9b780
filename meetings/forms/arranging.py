"""The forms of arranging and holding meetings: each rule in the user's words, nothing typed
lost. Forms only validate; the views hand the cleaned data to meetings/services/, which
checks again and writes (a refusal lands beside its field through add_service_errors)."""

from __future__ import annotations

from datetime import date, time

from django import forms
from django.utils import dateformat, timezone

from cases.models import Level
from jmappa.accounts.models import Agency, Grade, User
from jmappa.core.forms import DateInput, PlainWords, UserChoiceField, active_users, text_area

from .. import selectors
from ..models import (
    KIND_LEVEL,
    PRESENT_MODES,
    AttendanceMode,
    InvitationResponse,
    Meeting,
    PanelLevel,
)
from ..services import common, panels, scheduling


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _future(form: forms.Form, day_field: str, day: date | None) -> None:
    if day is not None and day < timezone.localdate():
        form.add_error(day_field, "This date has passed: choose today or a later date.")


def grade_label(value: int | None) -> str:
    return Grade(value).label if value else ""


# -- panel dates -----------------------------------------------------------------------------------


class PanelDateForm(PlainWords, forms.Form):
    ONCE, MONTHLY = "once", "monthly"

    level = forms.ChoiceField(label="Meetings of", choices=PanelLevel.choices,
                              widget=forms.RadioSelect)
    day = forms.DateField(label="Date", widget=DateInput)
    clock = forms.TimeField(label="Time", widget=TimeInput, initial=time(10))
    location = forms.CharField(max_length=200, required=False,
                               help_text="Where the panel sits, e.g. “Police Headquarters, "
                                         "conference room 2”.")
    repeat = forms.ChoiceField(
        label="How often", widget=forms.RadioSelect, initial=ONCE,
        choices=[(ONCE, "This date only"),
                 (MONTHLY, "The same weekday of each month (the second Thursday...)")])
    months = forms.IntegerField(
        label="For how many months", min_value=1, max_value=panels.MAX_SERIES_MONTHS,
        required=False, initial=12,
        help_text="For the same weekday each month, counting the first. A month whose date "
                  "is a bank holiday is skipped, and you are told.")

    def clean(self):
        data = super().clean()
        _future(self, "day", data.get("day"))
        if data.get("repeat") == self.MONTHLY and not data.get("months"):
            self.add_error("months", "Enter for how many months.")
        return data

    def starts_at(self):
        return common.local_datetime(self.cleaned_data["day"], self.cleaned_data["clock"])


class ReasonForm(PlainWords, forms.Form):
    reason = forms.CharField(widget=text_area(3))

    def __init__(self, *args, label: str = "Reason", help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


# -- standing membership ---------------------------------------------------------------------------


class SeatForm(forms.Form):
    """One agency's seat at a level, on the standing membership page: an empty seniority
    means no seat. `people`: the agency's active users, to choose the standing member."""

    seniority = forms.CharField(max_length=200, required=False)
    minimum_grade = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None,
        choices=[("", "Choose the grade"), *Grade.choices])
    member = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, agency: Agency, level: str, people: list[User], seat=None,
                 **kwargs):
        initial = {"seniority": seat.seniority if seat and seat.is_active else "",
                   "minimum_grade": seat.minimum_grade if seat else None,
                   "member": seat.member_id if seat else None}
        super().__init__(*args, prefix=f"agency-{agency.pk}", initial=initial, **kwargs)
        self.agency, self.level, self.seat = agency, level, seat
        self.people = {user.pk: user for user in people}
        if seat is not None and seat.member is not None:
            self.people.setdefault(seat.member_id, seat.member)
        self.fields["member"].choices = [("", "Nobody named yet"), *[
            (pk, f"{user}{f', {user.job_title}' if user.job_title else ''}")
            for pk, user in self.people.items()]]
        self.fields["seniority"].label = f"Seniority ({agency})"
        self.fields["minimum_grade"].label = f"Minimum grade ({agency})"
        self.fields["member"].label = f"Standing member ({agency})"

    def clean(self):
        data = super().clean()
        if data.get("seniority", "").strip():
            if data.get("minimum_grade") is None:
                self.add_error("minimum_grade", "Choose the lowest grade that meets this "
                                                "seniority.")
        elif data.get("member") is not None:
            self.add_error("seniority", "Give the seniority of the seat (the Guidance's words, "
                                        "e.g. “Inspector”), or choose nobody.")
        return data

    def changes(self) -> dict | None:
        """The seat as the service is to set it, or None if nothing changes."""
        data, seat = self.cleaned_data, self.seat
        seniority = data["seniority"].strip()
        if not seniority:
            if seat is None or not seat.is_active:
                return None
            return {"seniority": seat.seniority, "minimum_grade": seat.minimum_grade,
                    "member": seat.member, "is_active": False}
        wanted = {"seniority": seniority, "minimum_grade": data["minimum_grade"],
                  "member": self.people.get(data.get("member")), "is_active": True}
        if seat is not None and all(getattr(seat, k) == v for k, v in wanted.items()):
            return None
        return wanted


# -- scheduling ------------------------------------------------------------------------------------


class PanelRadio(forms.RadioSelect):
    """The panel dates, each marked when it falls after the due date."""

    late: set[str] = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["late"] = str(value) in self.late
        if option["late"]:
            option["attrs"]["data-late"] = "1"
        return option


class PanelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, panel):
        when = dateformat.format(timezone.localtime(panel.starts_at), "l j F Y, H:i")
        booked = getattr(panel, "booked", 0)
        parts = [when, panel.location or "place to be confirmed",
                 f"{booked} case{'s' if booked != 1 else ''} booked"]
        return " · ".join(parts)


class ScheduleForm(PlainWords, forms.Form):
    """The meeting of `kind`: a panel date for level 2 and 3, a date and time otherwise."""

    panel = PanelChoiceField(queryset=None, label="Panel date", widget=PanelRadio,
                             empty_label=None)
    day = forms.DateField(label="Date", widget=DateInput)
    clock = forms.TimeField(label="Time", widget=TimeInput)
    chair = UserChoiceField(label="Chair")
    location = forms.CharField(max_length=200, required=False)
    late_reason = forms.CharField(
        label="Reason for holding the meeting after the due date", required=False,
        widget=text_area(3),
        help_text="Only if the date chosen is after the due date: it is recorded with the "
                  "meeting.")
    send = forms.BooleanField(
        label="Email the invitations now, each with a calendar file", required=False,
        initial=True,
        help_text="Or leave this unticked to check the list of invitees on the meeting page "
                  "first, and send from there.")

    def __init__(self, *args, kind: str, due: date | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.due = kind, due
        self.level = KIND_LEVEL[kind]
        chairs = selectors.eligible_chairs(self.level)
        self.fields["chair"].queryset = chairs
        if self.level == Level.ONE:
            self.fields["chair"].required = False
            self.fields["chair"].help_text = "Anyone with the Chair role; optional at level 1."
        else:
            self.fields["chair"].help_text = (
                "The JMAPPA Co-ordinator or a middle or senior manager of a JMAPPA agency "
                "with the Chair role (§9.2).")
        self.fields["late_reason"].needed = "needed for a date after the due date"
        if kind in scheduling.PANEL_KINDS:
            del self.fields["day"], self.fields["clock"]
            self.panel_rows = selectors.panel_choices(self.level, due)
            field = self.fields["panel"]
            field.queryset = selectors.panels(level=self.level)
            field.widget.late = {str(row["panel"].pk) for row in self.panel_rows if row["late"]}
            field.widget.attrs["class"] = "govuk-radios__input"
            self.fields["location"].help_text = "Leave empty for the panel's own place."
        else:
            del self.fields["panel"]
            self.panel_rows = []
            self.fields["clock"].initial = time(10)

    def chosen_day(self) -> date | None:
        data = self.cleaned_data
        if "panel" in self.fields:
            panel = data.get("panel")
            return timezone.localtime(panel.starts_at).date() if panel else None
        return data.get("day")

    def clean(self):
        data = super().clean()
        if "day" in self.fields:
            _future(self, "day", data.get("day"))
        day = self.chosen_day()
        if day and self.due and day > self.due and not data.get("late_reason", "").strip():
            self.add_error("late_reason", scheduling.late_message(day, self.due))
        return data

    def schedule_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"chair": data.get("chair"), "location": data.get("location", ""),
                  "late_reason": data.get("late_reason", ""), "send": data.get("send", False)}
        if "panel" in self.fields:
            fields["panel"] = data["panel"]
        else:
            fields["starts_at"] = common.local_datetime(data["day"], data["clock"])
        return fields


# -- invitations -----------------------------------------------------------------------------------


class InvitationAddForm(PlainWords, forms.Form):
    user = UserChoiceField(label="Person", required=False,
                           help_text="Someone with an account: they see the case while "
                                     "invited. Type part of a name or agency to narrow the "
                                     "list.")
    name = forms.CharField(label="Or, someone without an account: their name", required=False,
                           max_length=200)
    email = forms.EmailField(label="Their email", required=False,
                             help_text="For the invitation and its calendar file.")
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True), required=False,
        help_text="The agency they represent. For someone with an account, their own unless "
                  "you choose another.")
    send = forms.BooleanField(label="Email the invitation now", required=False, initial=True)
    # Filling a standing seat left empty (§10.7): the agency whose seat it is.
    seat = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True),
                                  required=False, widget=forms.HiddenInput)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].empty_label = "Choose a person"
        self.fields["agency"].empty_label = "Choose the agency"
        invited = meeting.invitations.filter(withdrawn_at__isnull=True, user__isnull=False)
        self.fields["user"].queryset = active_users().exclude(
            pk__in=invited.values("user")).exclude(case_exclusions__nominal=meeting.nominal_id)

    def clean(self):
        data = super().clean()
        user, name = data.get("user"), data.get("name", "").strip()
        if user is None and not name:
            self.add_error("user", "Choose a person, or enter the name of someone without an "
                                   "account.")
        if user is not None and name:
            self.add_error("name", "Choose a person or enter a name, not both.")
        if data.get("seat") is not None and data.get("agency") is None:
            data["agency"] = data["seat"]
        if user is None and name and data.get("agency") is None:
            self.add_error("agency", "Choose the agency they represent.")
        return data


class ResponseForm(PlainWords, forms.Form):
    response = forms.ChoiceField(
        label="Your answer", widget=forms.RadioSelect,
        choices=[c for c in InvitationResponse.choices if c[0] != InvitationResponse.PENDING])

    def __init__(self, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["response"].label = "Their answer"


class OffenderInformationForm(forms.Form):
    text = forms.CharField(
        label="The offender's written information", required=False, widget=text_area(12),
        help_text="What the offender wants the meeting to know, in their words or as their "
                  "case manager puts it for them (§3.6). Offenders do not attend JMAPP "
                  "meetings.")


# -- attendance ------------------------------------------------------------------------------------


class AttendanceRowForm(forms.Form):
    """One invited agency on the day."""

    mode = forms.ChoiceField(choices=AttendanceMode.choices, widget=forms.Select)
    attendee = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    attendee_name = forms.CharField(max_length=200, required=False)
    grade = forms.TypedChoiceField(coerce=int, required=False, empty_value=None,
                                   choices=[("", "Their own grade"), *Grade.choices])

    def __init__(self, *args, agency: Agency, invitations: list, seat=None, **kwargs):
        super().__init__(*args, prefix=f"agency-{agency.pk}", **kwargs)
        self.agency, self.invitations, self.seat = agency, invitations, seat
        self.people = {i.user_id: i.user for i in invitations if i.user_id}
        self.has_people = bool(self.people)
        self.fields["attendee"].choices = [("", "Someone else (name them)"), *[
            (pk, str(user)) for pk, user in self.people.items()]]
        self.fields["mode"].label = f"How {agency} attended"
        self.fields["attendee"].label = f"Who attended for {agency}"
        self.fields["attendee_name"].label = f"Name of who attended for {agency}"
        self.fields["grade"].label = f"Grade of who attended for {agency}"
        answered = {i.response for i in invitations}
        if answered == {InvitationResponse.APOLOGIES}:
            self.fields["mode"].initial = AttendanceMode.ABSENT
        elif answered == {InvitationResponse.REPORT}:
            self.fields["mode"].initial = AttendanceMode.REPORT_ONLY
        elif InvitationResponse.REMOTE in answered:
            self.fields["mode"].initial = AttendanceMode.VIDEO
        if len(self.people) == 1:
            self.fields["attendee"].initial = next(iter(self.people))

    def clean(self):
        data = super().clean()
        if data.get("mode") in PRESENT_MODES and data.get("attendee") is None \
                and not data.get("attendee_name", "").strip():
            self.add_error("attendee_name", f"Name who attended for {self.agency}.")
        return data

    def row(self) -> dict:
        data = self.cleaned_data
        return {"agency": self.agency, "mode": data["mode"],
                "attendee": self.people.get(data.get("attendee")),
                "attendee_name": data.get("attendee_name", ""), "grade": data.get("grade")}


class FollowUpCloseForm(PlainWords, forms.Form):
    outcome = forms.CharField(
        label="Outcome", widget=text_area(4),
        help_text="What the agency's SPOC answered and what was agreed (§10.10). If this does "
                  "not improve the agency's engagement, the SMB Chair takes it up with the "
                  "agency's SMB representative.")
    escalate = forms.BooleanField(
        label="The agency's engagement has not improved: escalate it to the SMB Chair",
        required=False,
        help_text="The Chair of the Strategic Management Board addresses it with the agency's "
                  "representative on the Board (§10.10).")


class MeetingFilterForm(forms.Form):
    mine = forms.BooleanField(label="Only meetings I chair or am invited to", required=False)
