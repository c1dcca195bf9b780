"""The Board's forms: a member appointed to a seat, the Chair handed over, a Board meeting
arranged, and each member's attendance. Forms check what a person can get wrong while
typing; the services check the rules again and write."""

from __future__ import annotations

from django import forms

from jmappa.accounts.models import Grade, User
from jmappa.core.forms import DateInput, PlainWords, UserChoiceField, active_users, text_area
from jmappa.core.uploads import ACCEPT

from .models import (
    CHAIR_AGENCY_KINDS,
    AnnualReportSection,
    AuditAnswer,
    GovernanceDocument,
    SmbAttendanceStatus,
    SmbMeeting,
    SmbMeetingStatus,
)


class AppointForm(PlainWords, forms.Form):
    member = UserChoiceField(queryset=User.objects.none(), label="Member")
    on = forms.DateField(label="Holds the seat from", widget=DateInput,
                         help_text="Whoever holds the seat now leaves it the day before.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = active_users()


class ChairForm(PlainWords, forms.Form):
    member = UserChoiceField(
        queryset=User.objects.none(), label="Chair",
        help_text="A senior member of the Police, Probation or Prison Service (§15.3); the "
                  "Chair rotates between them.")
    on = forms.DateField(label="Chairs the Board from", widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = active_users().filter(
            agency__kind__in=CHAIR_AGENCY_KINDS, grade__gte=Grade.SENIOR_MANAGER)


class MeetingForm(PlainWords, forms.Form):
    on = forms.DateField(label="Date of the meeting", widget=DateInput)
    location = forms.CharField(label="Where", max_length=200, required=False)
    agenda = forms.CharField(label="Agenda", widget=text_area(5), required=False,
                             help_text="For example: the KPI report for the quarter, the case "
                                       "audit, the business plan, training.")


class AttendanceForm(PlainWords, forms.Form):
    """One pair of fields per member holding a seat on the day: how they attended, and the
    deputy's name where one was sent."""

    def __init__(self, *args, memberships, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        for membership in memberships:
            status, deputy = recorded.get(membership.pk, ("", ""))
            self.fields[f"member_{membership.pk}"] = forms.ChoiceField(
                label=f"{membership.member.get_full_name() or membership.member} "
                      f"({membership.seat})",
                choices=SmbAttendanceStatus.choices, widget=forms.RadioSelect,
                initial=status or None, required=False)  # the service says who is missing
            self.fields[f"deputy_{membership.pk}"] = forms.CharField(
                label="Name of the deputy sent", max_length=200, required=False,
                initial=deputy)

    def attendance(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {membership.pk: (data.get(f"member_{membership.pk}") or "",
                                data.get(f"deputy_{membership.pk}") or "")
                for membership in self.memberships}


class GovernanceForm(PlainWords, forms.ModelForm):
    """A governance document of the Board (§14.11, §15.1), and each review of it."""

    owner = UserChoiceField(queryset=User.objects.none(), label="Owner", required=False,
                            help_text="Who keeps it and is told when its review is due; "
                                      "with none, the Administrator.")
    upload = forms.FileField(label="The document", required=False,
                             help_text="Optional: the approved copy (PDF, Word, OpenDocument "
                                       "or text).",
                             widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = GovernanceDocument
        fields = ["kind", "title", "owner", "approved_on", "next_review", "notes", "is_active"]
        widgets = {"approved_on": DateInput, "next_review": DateInput, "notes": text_area(3)}
        labels = {"approved_on": "Last approved on", "next_review": "Next review by",
                  "is_active": "In force"}
        help_texts = {"is_active": "Untick when the document is withdrawn: its reviews stop."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_users()

    def _post_clean(self):
        pass


class AuditDrawForm(PlainWords, forms.Form):
    period = forms.ChoiceField(label="Quarter")
    size = forms.IntegerField(label="How many cases to sample", min_value=1, max_value=200,
                              help_text="Drawn at random from the cases managed at level 2 "
                                        "or 3 in the quarter.")

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(q.code, q.label) for q in quarters]


class AuditScoreForm(PlainWords, forms.Form):
    """Each checklist item answered, the defensibility judgement, the findings and the
    follow-up."""

    defensible = forms.TypedChoiceField(
        label="Was everything that could reasonably have been done to prevent re-offending "
              "actually done?", widget=forms.RadioSelect,
        choices=[("True", "Yes"), ("False", "No")], coerce=lambda value: value == "True",
        required=False)
    findings = forms.CharField(label="Findings", widget=text_area(4), required=False,
                               help_text="What the judgement rests on.")
    follow_up = forms.CharField(label="Follow-up action", widget=text_area(3), required=False,
                                help_text="Needed where something was not done: what, and "
                                          "by whom.")
    follow_up_by = forms.DateField(label="Follow-up due by", widget=DateInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        for item, question, where in checklist:
            self.fields[item] = forms.ChoiceField(
                label=f"{question} ({where})", choices=AuditAnswer.choices,
                widget=forms.RadioSelect, required=False)
        self.order_fields([item for item, _q, _w in checklist]
                          + ["defensible", "findings", "follow_up", "follow_up_by"])


class EscalationForm(PlainWords, forms.Form):
    board_outcome = forms.CharField(
        label="The Board's outcome", widget=text_area(4),
        help_text="What the agency's representative on the Board undertook, so that the "
                  "agency attends or reports to its JMAPP meetings (§10.10).")


class SmbMinutesForm(PlainWords, forms.Form):
    present = forms.CharField(label="Present and apologies", widget=text_area(3),
                              required=False,
                              help_text="Filled from the attendance recorded; correct it here.")
    discussion = forms.CharField(label="What was discussed and decided", widget=text_area(12))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SmbActionForm(PlainWords, forms.Form):
    description = forms.CharField(label="What is to be done", widget=text_area(3))
    owner = UserChoiceField(queryset=User.objects.none(), label="Who will do it")
    due_date = forms.DateField(label="Due by", widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_users()


class SmbActionDoneForm(PlainWords, forms.Form):
    done_on = forms.DateField(label="Done on", widget=DateInput)
    done_note = forms.CharField(label="What was done", widget=text_area(3))


# -- the annual report (§15.5) ------------------------------------------------------------------


class AnnualReportStartForm(PlainWords, forms.Form):
    year = forms.IntegerField(
        label="Year the report is presented", min_value=2010, max_value=2100,
        help_text="The Chief Police Officer presents it to the Minister before the end of "
                  "March of this year. Its statistics cover the year before unless you change "
                  "them.")


class AnnualReportForm(PlainWords, forms.Form):
    """The statistics the Minister asked for this year, from the catalogue, and their dates."""

    period_start = forms.DateField(label="First day of the statistics", widget=DateInput)
    period_end = forms.DateField(label="Last day of the statistics", widget=DateInput)
    count_on = forms.DateField(
        label="Day the register is counted", widget=DateInput,
        help_text="The offenders by category and level are those on the register that day.")
    statistics = forms.MultipleChoiceField(
        label="Statistics the Minister asked for", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one statistic the Minister asked for."})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        from .annual.catalogue import STATISTICS

        super().__init__(*args, **kwargs)
        self.fields["statistics"].choices = [(s.key, s.title) for s in STATISTICS.values()]


class AnnualReportSectionForm(PlainWords, forms.ModelForm):
    position = forms.IntegerField(
        label="Order in the report", required=False, min_value=0, max_value=999,
        help_text="Sections are printed in this order; leave it empty to add this one last.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AnnualReportSection
        fields = ["kind", "heading", "body", "position"]
        widgets = {"kind": forms.RadioSelect, "body": text_area(12)}
        labels = {"kind": "Section", "body": "Text"}
        help_texts = {"kind": "A case example is checked: it must give no case reference and "
                              "no offender's name."}

    def _post_clean(self):
        pass


class AnnualReportApproveForm(PlainWords, forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=SmbMeeting.objects.none(), label="Approved at the Board meeting of",
        empty_label="Choose the meeting",
        error_messages={"required": "Choose the Board meeting at which it was approved."})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = SmbMeeting.objects.filter(
            status=SmbMeetingStatus.HELD).order_by("-date")
        self.fields["meeting"].label_from_instance = lambda m: f"{m.date:%-d %B %Y}"


class AnnualReportPublishForm(PlainWords, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
