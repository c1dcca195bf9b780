"""The forms of intervention packages and their catalogue. Forms check what a person can get
wrong while typing; the services check the rules again and write."""

from __future__ import annotations

from django import forms

from coordination.models import Provider
from jmappa.core.forms import YES_NO, DateInput, PlainWords, UserChoiceField, text_area

from . import selectors
from .models import (
    DELIVERY_CHOICES,
    EntryKind,
    Intervention,
    InterventionPackage,
    PackageIntervention,
    Stage,
)

VERSION = {"widget": forms.HiddenInput, "required": False}
WHY = "Why the package changes"


class SaysWhatIsNeeded:
    """What the service asks though the form leaves it open, said beside the label."""

    needed: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, needed in self.needed.items():
            if name in self.fields:
                self.fields[name].needed = needed


def intervention_label(intervention: Intervention) -> str:
    """'Violence programme: Probation Service, internal (3 of 12 places taken)'."""
    side = "internal" if intervention.internal else "external"
    places = ""
    if intervention.capacity is not None:
        taken = getattr(intervention, "taken", None)
        places = (f" ({taken} of {intervention.capacity} places taken)" if taken is not None
                  else f" ({intervention.capacity} places)")
    return f"{intervention.name}: {intervention.provider}, {side}{places}"


def item_label(item: PackageIntervention) -> str:
    return f"Step {item.step}: {item.intervention.name}"


class InterventionForm(PlainWords, forms.ModelForm):
    version = forms.IntegerField(**VERSION)

    class Meta:
        model = Intervention
        fields = ["name", "provider", "programme_type", "description", "eligibility",
                  "capacity", "is_active"]
        widgets = {"programme_type": forms.RadioSelect, "description": text_area(3),
                   "eligibility": text_area(2)}
        labels = {"provider": "Provider", "programme_type": "Kind of intervention",
                  "description": "What it involves", "eligibility": "Who is eligible",
                  "capacity": "Places", "is_active": "In the catalogue"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(is_active=True)
        self.fields["provider"].empty_label = "Choose the provider"
        self.fields["provider"].label_from_instance = (
            lambda p: f"{p.name} ({p.get_kind_display().lower()})")
        self.fields["provider"].help_text = (
            "From the provider catalogue: a member agency is internal, a funded service "
            "external.")
        if self.instance.pk is None:
            self.fields["is_active"].initial = True

    def _post_clean(self):
        pass


class EngagementForm(SaysWhatIsNeeded, PlainWords, forms.ModelForm):
    needed = {"rights_explained": "required", "confidentiality_explained": "required"}

    version = forms.IntegerField(**VERSION)

    class Meta:
        model = InterventionPackage
        fields = ["engaged_on", "rights_explained", "court_required",
                  "confidentiality_explained", "needs", "preferences", "communication",
                  "wants_involved"]
        widgets = {"engaged_on": DateInput, "court_required": text_area(2),
                   "needs": text_area(4), "preferences": text_area(3),
                   "communication": text_area(2), "wants_involved": text_area(2)}
        labels = {"engaged_on": "Engagement meeting held on",
                  "rights_explained": "Their rights and responsibilities, and your role and "
                                      "responsibilities, were explained",
                  "court_required": "The interventions the sentence of the court requires",
                  "confidentiality_explained": "The confidentiality policy, and when "
                                               "information is disclosed to third parties, "
                                               "were explained",
                  "needs": "Their needs, as they put them",
                  "preferences": "Their preferences, beliefs and interests",
                  "communication": "How they communicate best",
                  "wants_involved": "Whom they want involved in the planning"}
        help_texts = {"court_required": "Write “none” where the sentence requires none.",
                      "communication": "Language, reading, hearing, the times and places "
                                       "that suit them."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service says what is missing, in words of its own.
        for name in ("rights_explained", "confidentiality_explained"):
            self.fields[name].required = False

    def _post_clean(self):
        pass


class EngagementChangeForm(EngagementForm):
    why = forms.CharField(label="Why the engagement record changes", widget=text_area(2))


class OptionForm(SaysWhatIsNeeded, PlainWords, forms.Form):
    needed = {"risk_factors": "this or the protective factors",
              "protective_factors": "this or the risk factors",
              "advantages": "needed to choose it", "disadvantages": "needed to choose it"}

    intervention = forms.ModelChoiceField(queryset=Intervention.objects.none(),
                                          label="Intervention",
                                          empty_label="Choose from the catalogue")
    risk_factors = forms.CharField(label="The risk factors it addresses", widget=text_area(2),
                                   required=False)
    protective_factors = forms.CharField(label="The protective factors it builds",
                                         widget=text_area(2), required=False)
    advantages = forms.CharField(label="Advantages, as weighed with the person",
                                 widget=text_area(2), required=False)
    disadvantages = forms.CharField(label="Disadvantages, as weighed with the person",
                                    widget=text_area(2), required=False)
    step = forms.IntegerField(label="Step in the sequence", min_value=1, initial=1,
                              widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))
    after = forms.ModelChoiceField(queryset=PackageIntervention.objects.none(), required=False,
                                   label="Starts once this one is completed",
                                   empty_label="Nothing before it")
    why = forms.CharField(label=WHY, widget=text_area(2), required=False)
    version = forms.IntegerField(**VERSION)

    def __init__(self, *args, package, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = selectors.active_catalogue()
        self.fields["intervention"].label_from_instance = intervention_label
        others = package.interventions.select_related("intervention")
        if item is not None:
            others = others.exclude(pk=item.pk)
        self.fields["after"].queryset = others
        self.fields["after"].label_from_instance = item_label
        self.fields["step"].error_messages["min_value"] = "Give a step of 1 or more."


class OptionChangeForm(OptionForm):
    decision = forms.ChoiceField(label="The option", widget=forms.RadioSelect, required=False,
                                 choices=[(Stage.OPTION, "Still being considered"),
                                          (Stage.CHOSEN, "Chosen with the person"),
                                          (Stage.NOT_CHOSEN, "Not chosen")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["intervention"]
        self.fields["why"].required = True
        if kwargs.get("item") is not None and kwargs["item"].stage not in (
                Stage.OPTION, Stage.CHOSEN, Stage.NOT_CHOSEN):
            del self.fields["decision"]


class ReferralForm(PlainWords, forms.Form):
    referred_on = forms.DateField(label="Referred on", widget=DateInput)
    referral_discussed = forms.CharField(
        label="What was discussed with the provider", widget=text_area(3),
        help_text="The role it may have, the benefits this may bring, how confidentiality "
                  "will be kept.")
    information_given = forms.CharField(
        label="The information given to the provider", widget=text_area(3),
        help_text="The person's difficulties and the level of support they need, as agreed "
                  "with them.")
    version = forms.IntegerField(**VERSION)


class AnswerForm(SaysWhatIsNeeded, PlainWords, forms.Form):
    needed = {"willing": "required", "able": "required",
              "resources": "needed when it accepts", "contribution": "needed when it accepts"}

    answered_on = forms.DateField(label="The provider answered on", widget=DateInput)
    willing = forms.NullBooleanField(label="The provider is willing to work with the person",
                                     widget=YES_NO, required=False)
    able = forms.NullBooleanField(label="The provider is able to work with the person",
                                  widget=YES_NO, required=False)
    resources = forms.CharField(label="The resources it needs", widget=text_area(2),
                                required=False)
    contribution = forms.CharField(label="The contribution agreed with the provider",
                                   widget=text_area(3), required=False,
                                   help_text="What it will do, its goals and who does what.")
    version = forms.IntegerField(**VERSION)


class AgreementForm(SaysWhatIsNeeded, PlainWords, forms.Form):
    needed = {"agrees": "required"}

    agrees = forms.NullBooleanField(label="The person agrees to the provider's involvement",
                                    widget=YES_NO, required=False)
    on = forms.DateField(label="Asked on", widget=DateInput)
    version = forms.IntegerField(**VERSION)


STAGE_CHOICES = [("", "No change"), *DELIVERY_CHOICES]


class EntryForm(SaysWhatIsNeeded, PlainWords, forms.Form):
    needed = {"action_taken": "needed for non-compliance or a change in needs"}

    kind = forms.ChoiceField(label="What it records", choices=EntryKind.choices,
                             widget=forms.RadioSelect)
    intervention = forms.ModelChoiceField(queryset=PackageIntervention.objects.none(),
                                          required=False, label="About",
                                          empty_label="The package as a whole")
    on = forms.DateField(label="Date", widget=DateInput)
    note = forms.CharField(label="What happened, or what was said", widget=text_area(4))
    action_taken = forms.CharField(
        label="The action taken, or what it means for the package", widget=text_area(3),
        required=False,
        help_text="Required for non-compliance and for a change in needs or circumstances.")
    stage_after = forms.ChoiceField(label="The intervention is now", choices=STAGE_CHOICES,
                                    widget=forms.RadioSelect, required=False, initial="")

    def __init__(self, *args, package, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        if item is not None:
            del self.fields["intervention"]
        else:
            self.fields["intervention"].queryset = package.interventions.select_related(
                "intervention")
            self.fields["intervention"].label_from_instance = item_label

    def clean(self):
        data = super().clean()
        if self.item is not None:
            data["intervention"] = self.item
        return data


class ReviewPointForm(PlainWords, forms.Form):
    review_by = forms.DateField(label="Review by", widget=DateInput)
    purpose = forms.CharField(label="What is reviewed", widget=text_area(3))
    agreed_with = forms.CharField(label="Agreed with", widget=text_area(2), required=False,
                                  help_text="The person, the providers, the case team.")
    responsible = UserChoiceField(label="Who makes it happen",
                                  empty_label="Choose the person responsible")


class HeldForm(PlainWords, forms.Form):
    held_on = forms.DateField(label="Reviewed on", widget=DateInput)
    outcome = forms.CharField(label="What the review found and agreed", widget=text_area(5),
                              help_text="The progress of each intervention, the person's and "
                                        "the providers' views, the changes to make.")
    version = forms.IntegerField(**VERSION)


class CloseForm(PlainWords, forms.Form):
    closed_on = forms.DateField(label="Closed on", widget=DateInput)
    why = forms.CharField(label="Why the package closes", widget=text_area(3))
    version = forms.IntegerField(**VERSION)
