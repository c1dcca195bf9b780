"""The forms of coordinated services plans and their panel. Forms check what a person can
get wrong while typing; the services check the rules again and write."""

from __future__ import annotations

from django import forms

from jmappa.accounts.models import Agency, User
from jmappa.core.forms import DateInput, PlainWords, UserChoiceField, active_users, text_area

from . import selectors
from .models import (
    OrderKind,
    PanelMeeting,
    PanelMember,
    PlannedService,
    Provider,
    Purpose,
    ServiceStatus,
    UpdateMethod,
)

VERSION = {"widget": forms.HiddenInput, "required": False}


def _meeting_label(meeting) -> str:
    return f"{meeting.date:%-d %B %Y}"


class PlanForm(PlainWords, forms.Form):
    order_kind = forms.ChoiceField(label="Order", choices=OrderKind.choices,
                                   widget=forms.RadioSelect)
    order_start = forms.DateField(label="Order made on", widget=DateInput,
                                  help_text="The plan is reviewed at least every six months.")


class ServiceForm(PlainWords, forms.ModelForm):
    version = forms.IntegerField(**VERSION)

    class Meta:
        model = PlannedService
        fields = ["provider", "delivers", "risk_factor", "status"]
        widgets = {"delivers": text_area(3), "risk_factor": text_area(2),
                   "status": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(is_active=True)
        self.fields["provider"].empty_label = "Choose the provider"
        self.fields["status"].initial = ServiceStatus.PROPOSED

    def _post_clean(self):
        pass


class EndorseForm(PlainWords, forms.Form):
    meeting = forms.ModelChoiceField(queryset=PanelMeeting.objects.none(),
                                     label="Endorsed at the panel of",
                                     empty_label="Choose the panel")
    members = forms.ModelMultipleChoiceField(queryset=PanelMember.objects.none(),
                                             widget=forms.CheckboxSelectMultiple,
                                             label="Panel members endorsing it")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = selectors.held_panel_meetings()
        self.fields["meeting"].label_from_instance = _meeting_label
        self.fields["members"].queryset = PanelMember.objects.select_related(
            "member", "agency")
        self.fields["members"].label_from_instance = (
            lambda m: f"{m.member.get_full_name() or m.member}, {m.position} ({m.agency})")


class UpdateRequestForm(PlainWords, forms.Form):
    provider = forms.ModelChoiceField(queryset=Provider.objects.none(), label="Provider",
                                      empty_label="Choose the provider")
    meeting = forms.ModelChoiceField(queryset=PanelMeeting.objects.none(),
                                     label="For the panel of", empty_label="Choose the panel")
    method = forms.ChoiceField(label="Asked", choices=UpdateMethod.choices,
                               widget=forms.RadioSelect)
    requested_on = forms.DateField(label="Asked on", widget=DateInput)
    answer_by = forms.DateField(label="Answer needed by", widget=DateInput,
                                help_text="Before the panel sits: an unanswered request is "
                                          "flagged from then.")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(
            pk__in=plan.services.values("provider"))
        self.fields["meeting"].queryset = selectors.coming_panel_meetings()
        self.fields["meeting"].label_from_instance = _meeting_label


class UpdateAnswerForm(PlainWords, forms.Form):
    last_six_months = forms.CharField(label="Service delivered over the last six months",
                                      widget=text_area(4))
    next_six_months = forms.CharField(
        label="Service and treatment goals for the next six months", widget=text_area(4))
    answered_on = forms.DateField(label="Answered on", widget=DateInput)
    version = forms.IntegerField(**VERSION)


class NoticeForm(PlainWords, forms.Form):
    received_on = forms.DateField(label="Received on", widget=DateInput)
    notice = forms.CharField(label="What the notice asks", widget=text_area(4))
    respond_by = forms.DateField(label="Answer by", widget=DateInput)


class NoticeResponseForm(PlainWords, forms.Form):
    response = forms.CharField(label="The response", widget=text_area(4))
    responded_on = forms.DateField(label="Answered on", widget=DateInput)
    version = forms.IntegerField(**VERSION)


class SharingForm(PlainWords, forms.Form):
    shared_with = forms.CharField(label="Shared with", max_length=200)
    what = forms.CharField(label="What was shared", widget=text_area(3))
    purpose = forms.ChoiceField(label="Purpose", choices=Purpose.choices,
                                widget=forms.RadioSelect)
    shared_on = forms.DateField(label="Shared on", widget=DateInput)


class ProviderForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["name", "kind", "agency", "services", "contact", "email", "is_active"]
        widgets = {"kind": forms.RadioSelect, "services": text_area(3)}

    def _post_clean(self):
        pass


class PanelMemberForm(PlainWords, forms.Form):
    member = UserChoiceField(queryset=User.objects.none(), label="Member")
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), label="Member agency",
                                    empty_label="Choose the agency")
    position = forms.CharField(label="Position", max_length=200)
    is_chair = forms.BooleanField(label="Chairs the panel", required=False)
    date_from = forms.DateField(label="Joins the panel on", widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = active_users()


class PanelMeetingForm(PlainWords, forms.Form):
    date = forms.DateField(label="Date", widget=DateInput)
    location = forms.CharField(label="Where", required=False, max_length=200)


class IssueForm(PlainWords, forms.Form):
    issue = forms.CharField(label="The problem in the provision of services",
                            widget=text_area(4))
    agencies = forms.ModelMultipleChoiceField(queryset=Agency.objects.all(), required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              label="Agencies involved")
    raised_on = forms.DateField(label="Raised on", widget=DateInput)


class IssueUpdateForm(PlainWords, forms.Form):
    steps = forms.CharField(label="Steps the panel takes", widget=text_area(4), required=False)
    resolved_on = forms.DateField(label="Resolved on", widget=DateInput, required=False)
    version = forms.IntegerField(**VERSION)


class ConfirmForm(PlainWords, forms.Form):
    version = forms.IntegerField(**VERSION)
