"""The Board's forms: a member appointed to a seat, the Chair handed over, a Board meeting
arranged, and each member's attendance. Forms check what a person can get wrong while
typing; the services check the rules again and write."""

from __future__ import annotations

from django import forms

from jmappa.accounts.models import Grade, User
from jmappa.core.forms import DateInput, PlainWords, UserChoiceField, active_users, text_area
from jmappa.core.uploads import ACCEPT

from .models import CHAIR_AGENCY_KINDS, GovernanceDocument, SmbAttendanceStatus


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
