"""The disclosure app's forms. Forms only check what a person can get wrong while typing;
the services check the rules again and write."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from jmappa.accounts.models import Agency, AgencyKind, Grade, Role, User
from jmappa.core.forms import DateInput, FilterForm, PlainWords, UserChoiceField, text_area
from jmappa.core.uploads import ACCEPT
from plans.models import ActionType, PlanAction

from .models import (
    CRITERIA,
    SUMMARY_FIELDS,
    SUMMARY_SECTIONS,
    Correspondence,
    DisclosedBy,
    Disclosure,
    Method,
    MinutesRequest,
    RecipientKind,
    Requester,
    RequestOutcome,
    WorshipArrangement,
    WorshipConcern,
)
from .services.disclosures import AGREE_FIELDS
from .services.worship import ASSESS_FIELDS


class DeferralForm(PlainWords, forms.Form):
    decide_by = forms.DateField(label="Decide by", widget=DateInput,
                                help_text="The date by which the decision will be taken.")
    awaited = forms.CharField(label="What is awaited", widget=text_area(3),
                              help_text="What the meeting needs before it can decide.")


def chief_officers():
    return User.objects.filter(
        is_active=True, grade__gte=Grade.EXECUTIVE,
        agency__kind__in=[AgencyKind.POLICE, AgencyKind.PROBATION]).select_related("agency")


class DisclosureForm(PlainWords, forms.ModelForm):
    """A disclosure the meeting agreed: the recipient, the trigger, the eight criteria, the
    offender's involvement, and the senior officer to endorse it."""

    endorser = UserChoiceField(queryset=User.objects.none(),
                               label="Senior officer to endorse it",
                               help_text="ACPO or DCO level: Assistant Chief Constable or "
                                         "above, or Deputy Chief Officer of Probation or "
                                         "above (§5.1).")
    action = forms.ModelChoiceField(queryset=PlanAction.objects.none(), required=False,
                                    label="Plan action",
                                    help_text="The plan's action of type disclosure this "
                                              "serves. Leave empty to add one to the plan.")

    class Meta:
        model = Disclosure
        fields = [*AGREE_FIELDS[:6], *AGREE_FIELDS[6:]]
        widgets = {name: text_area(3) for name, _label, _help in CRITERIA}
        widgets.update({"planned_by": DateInput, "recipient_kind": forms.Select,
                        "offender_involvement": forms.RadioSelect,
                        "trigger": forms.RadioSelect})
        labels = {name: label for name, label, _help in CRITERIA}
        help_texts = {name: help_text for name, _label, help_text in CRITERIA}

    def __init__(self, *args, nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["endorser"].queryset = chief_officers()
        self.fields["action"].queryset = PlanAction.objects.filter(
            nominal=nominal, action_type=ActionType.DISCLOSURE)
        self.fields["offender_told"] = forms.TypedChoiceField(
            label="Is the offender told of the disclosure?", widget=forms.RadioSelect,
            choices=[("True", "Yes"), ("False", "No")], coerce=lambda value: value == "True")
        self.fields["recipient_told_offender_unaware"].help_text = (
            "Where telling the offender would put a victim or others at risk, the recipient is "
            "told that he does not know (§5.3).")

    def _post_clean(self):
        # The rules are the service's to check (services.disclosures).
        pass


class EndorseForm(PlainWords, forms.Form):
    decision = forms.TypedChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        choices=[("True", "Endorse the disclosure"), ("False", "Refuse it")],
        coerce=lambda value: value == "True")
    reasons = forms.CharField(label="Reasons", widget=text_area(3), required=False,
                              help_text="Needed to refuse.")


class CarryOutForm(PlainWords, forms.Form):
    disclosed_by = forms.ChoiceField(label="Carried out by", choices=DisclosedBy.choices,
                                     widget=forms.RadioSelect)
    disclosed_on = forms.DateField(label="Date of the disclosure", widget=DateInput)
    method = forms.ChoiceField(label="How", choices=Method.choices, widget=forms.RadioSelect)
    what_was_said = forms.CharField(label="What was said", widget=text_area(4))
    acknowledgement = forms.CharField(
        label="The recipient's acknowledgement of what they may and may not pass on",
        widget=text_area(3))
    version = forms.IntegerField(widget=forms.HiddenInput)


def chairs():
    return User.objects.filter(is_active=True).filter(
        Q(roles__contains=[Role.CHAIR]) | Q(roles__contains=[Role.COORDINATOR])
    ).select_related("agency")


class MinutesRequestForm(PlainWords, forms.ModelForm):
    chair = UserChoiceField(queryset=User.objects.none(), label="Chair it is referred to")

    class Meta:
        model = MinutesRequest
        fields = ["requester_kind", "requester_name", "received_on", "chair", "what_is_sought"]
        widgets = {"received_on": DateInput, "what_is_sought": text_area(3),
                   "requester_kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs()
        self.fields["requester_kind"].choices = Requester.choices

    def _post_clean(self):
        pass


class ClarifyForm(PlainWords, forms.Form):
    clarification_sought = forms.CharField(label="Clarification sought", widget=text_area(3),
                                           help_text="Exactly what information is sought?")
    clarification_answer = forms.CharField(label="The answer", widget=text_area(3),
                                           required=False)
    clarified_on = forms.DateField(label="Date of the answer", widget=DateInput,
                                   required=False)


class CorrespondenceForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Correspondence
        fields = ["direction", "dated", "summary", "attachment"]
        widgets = {"dated": DateInput, "summary": text_area(3),
                   "direction": forms.RadioSelect}
        labels = {"summary": "What it says"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = Correspondence.Direction.choices

    def _post_clean(self):
        pass


class RedirectForm(PlainWords, forms.Form):
    redirected_to = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True),
                                           label="Agency that owns the information")
    redirected_what = forms.CharField(label="The information the agency owns",
                                      widget=text_area(3))


class DeclineForm(PlainWords, forms.Form):
    declined_reason = forms.CharField(label="Reason the request is declined",
                                      widget=text_area(3))


class SummaryForm(PlainWords, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in SUMMARY_SECTIONS:
            self.fields[name] = forms.CharField(label=label, widget=text_area(6))
        self.fields["victim_check_confirmed"] = forms.BooleanField(
            required=False,
            label="I have checked: no sensitive victim information and no name of the "
                  "referring officer is in this summary")
        self.order_fields([*SUMMARY_FIELDS, "victim_check_confirmed", "version"])


class IssueForm(PlainWords, forms.Form):
    issued_to = forms.CharField(label="Issued to", max_length=300,
                                help_text="Who received it, and how (e.g. by secure email).")


class RequestFilter(FilterForm):
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "Any"), *RequestOutcome.choices])
    requester_kind = forms.ChoiceField(label="Who asked",
                                       choices=[("", "Anyone"), *Requester.choices])
    overdue = forms.BooleanField(label="Open longer than the time allowed")


# -- places of worship (§5.4) and the behaviour contract (§14.10) ------------------------------


def yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, help_text=help_text, widget=forms.RadioSelect,
                                  choices=[("True", "Yes"), ("False", "No")],
                                  coerce=lambda value: value == "True")


class WorshipAssessForm(PlainWords, forms.ModelForm):
    """The offender's wish to attend a place of worship: where, the religious leader, why §5.4
    applies, the case manager's assessment and the discussion with the offender."""

    class Meta:
        model = WorshipArrangement
        fields = ASSESS_FIELDS
        widgets = {"risk_assessment": text_area(5), "discussion": text_area(3),
                   "no_discussion_reason": text_area(3), "concern": forms.RadioSelect}
        help_texts = {
            "risk_assessment": "The potential risk of harm his attending services or being "
                               "part of the faith community could present.",
            "discussion": "If discussed: the need to protect the children and identified "
                          "victims who may be present, that the religious organisation will "
                          "be told, and that he must agree to and sign a contract.",
            "no_discussion_reason": "If not discussed: why it would put a victim at greater "
                                    "risk.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concern"].choices = WorshipConcern.choices
        self.fields["discussed_with_offender"] = yes_no(
            "Was the need to protect children and victims discussed with the offender?")
        # Checked by the service with the discussion, so that both are said at once.
        self.fields["risk_assessment"].required = False
        self.order_fields(ASSESS_FIELDS)

    def _post_clean(self):
        pass


class WorshipEditForm(WorshipAssessForm):
    """The assessment, the disclosure to the religious leader and the contract's terms."""

    disclosure = forms.ModelChoiceField(
        queryset=Disclosure.objects.none(), required=False,
        label="Disclosure to the religious leader",
        help_text="The place of worship and its leader are told enough to protect the "
                  "congregation (§5.4): record the disclosure, then choose it here.")
    contract_terms = forms.CharField(
        label="The contract's terms", widget=text_area(14),
        help_text="From the specimen contract (§14.10): the services he may attend, where he "
                  "sits, never alone with children, no involvement with children's groups, "
                  "who is told, and what follows a breach. One term a paragraph.")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disclosure"].queryset = Disclosure.objects.filter(
            nominal=nominal, recipient_kind=RecipientKind.RELIGIOUS_LEADER)
        self.fields["disclosure"].label_from_instance = (
            lambda item: f"{item.recipient_name} ({item.get_status_display().lower()})")


class ContractSignedForm(PlainWords, forms.Form):
    signed_on = forms.DateField(label="Date signed", widget=DateInput)
    upload = forms.FileField(label="Scan of the signed contract",
                             help_text="A PDF or an image of the contract with both "
                                       "signatures.",
                             widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class RefusalForm(PlainWords, forms.Form):
    licence_condition_sought = yes_no("Will a restrictive licence condition be sought?")
    restraining_order_sought = yes_no("Will a Restraining Order be sought?")
    refusal_decision = forms.CharField(label="The decision and its reasons",
                                       widget=text_area(4))
    visor_recorded_on = forms.DateField(label="Date recorded on ViSOR", widget=DateInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class BreachForm(PlainWords, forms.Form):
    occurred_on = forms.DateField(label="Date of the breach", widget=DateInput)
    reported_by = forms.CharField(label="Who reported it", max_length=200,
                                  help_text="For example the minister, or a church warden.")
    what_happened = forms.CharField(label="What happened", widget=text_area(4))


class BreachActionForm(PlainWords, forms.Form):
    action_taken = forms.CharField(
        label="The action taken", widget=text_area(4),
        help_text="For example: attendance prohibited by the place of worship, a warning, "
                  "breach proceedings, recall requested.")
    version = forms.IntegerField(widget=forms.HiddenInput)
