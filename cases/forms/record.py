"""The forms of the parts of a case's record: aliases, addresses, level, risk of serious
harm, risk assessments, the case team, transfers, deviations, victims."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone

from jmappa.accounts.models import Agency
from jmappa.core.forms import DateInput, PlainWords, UserChoiceField, active_users, text_area

from ..models import (
    CPO_MESSAGE,
    Address,
    Alias,
    Deviation,
    Level,
    LevelChange,
    NamedAccess,
    Nominal,
    RiskAssessment,
    RiskTool,
    RoshAssessment,
    TeamRole,
    Transfer,
    TransferStatus,
    Victim,
)
from .nominal import NOT_IN_FUTURE, RESTRICTED_MESSAGE, _not_in_future


class AliasForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Alias
        fields = ["name", "kind"]
        labels = {"name": "Name", "kind": "Kind"}


class AddressForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Address
        fields = ["address", "postcode", "date_from", "date_to", "is_current"]
        widgets = {"address": text_area(3), "date_from": DateInput, "date_to": DateInput}
        labels = {"is_current": "This is the current address (the address recorded as current "
                                "until now becomes a past address)",
                  "date_from": "Lived there from", "date_to": "Lived there until"}

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The address cannot end before it starts: check the "
                                      "dates.")
        elif data.get("is_current") and end:
            self.add_error("date_to", "A current address has no end date: leave it blank, "
                                      "or untick “current”.")
        return data


class LevelForm(PlainWords, forms.Form):
    level = forms.ChoiceField(label="Management level",
                              choices=[c for c in Level.choices if c[0] != Level.UNKNOWN])
    reason = forms.CharField(label="Reason", widget=text_area(3),
                             help_text="Who decided, at which meeting, and why (§9).")
    on = forms.DateField(label="From", widget=DateInput)

    def __init__(self, *args, nominal: Nominal, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = LevelChange.objects.filter(nominal=nominal, date_to__isnull=True) \
            .order_by("-date_from", "-id").first()
        self.fields["on"].initial = timezone.localdate()

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Give the reason for the level.")
        return reason

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(NOT_IN_FUTURE)
        if self.current and on < self.current.date_from:
            since = dateformat.format(self.current.date_from, "j F Y")
            raise ValidationError(f"The current level applies from {since}: the new level "
                                  "cannot start before that.")
        return on


class RoshForm(PlainWords, forms.ModelForm):
    GROUP_LABELS = {"public": "Public", "prisoners": "Prisoners", "known_adult": "Known adult",
                    "children": "Children", "staff": "Staff"}

    class Meta:
        model = RoshAssessment
        fields = [
            "assessed_on", "overall",
            *[f"community_{g}" for g in RoshAssessment.GROUPS],
            *[f"custody_{g}" for g in RoshAssessment.GROUPS],
            "who_is_at_risk", "nature_of_risk", "imminence", "increases_risk", "reduces_risk",
        ]
        widgets = {"assessed_on": DateInput, "who_is_at_risk": text_area(2),
                   "nature_of_risk": text_area(2), "imminence": text_area(2),
                   "increases_risk": text_area(2), "reduces_risk": text_area(2)}
        labels = {"assessed_on": "Assessed on", "overall": "Overall risk of serious harm",
                  "who_is_at_risk": "Who is at risk"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        for group, label in self.GROUP_LABELS.items():
            self.fields[f"community_{group}"].label = f"{label}, in the community"
            self.fields[f"custody_{group}"].label = f"{label}, in custody"
            for where in ("community", "custody"):
                self.fields[f"{where}_{group}"].choices = [
                    ("", "—"), *self.fields[f"{where}_{group}"].choices[1:]]

    def clean(self):
        data = super().clean()
        _not_in_future(self, "assessed_on")
        return data

    def groups(self):
        return [(label, self[f"community_{g}"], self[f"custody_{g}"])
                for g, label in self.GROUP_LABELS.items()]

    def narrative(self):
        return [self[name] for name in ("who_is_at_risk", "nature_of_risk", "imminence",
                                        "increases_risk", "reduces_risk")]


class RiskAssessmentForm(PlainWords, forms.ModelForm):
    class Meta:
        model = RiskAssessment
        fields = ["tool", "tool_other", "score", "assessed_on", "assessor", "agency"]
        widgets = {"assessed_on": DateInput}
        labels = {"tool_other": "Name of the other tool", "assessed_on": "Assessed on",
                  "agency": "Assessor's agency"}
        help_texts = {"tool_other": "Required when the tool is “Other”.",
                      "score": "As the tool gives it, e.g. “High” or “24”."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        self.fields["assessed_on"].initial = timezone.localdate()
        if user is not None:
            self.fields["agency"].initial = user.agency_id
            self.fields["assessor"].initial = user.get_full_name()

    def clean(self):
        data = super().clean()
        if data.get("tool") == RiskTool.OTHER and not (data.get("tool_other") or "").strip():
            self.add_error("tool_other", "Name the tool used.")
        _not_in_future(self, "assessed_on")
        return data


TEAM_ROLES_ON_THE_RECORD = {TeamRole.CASE_MANAGER, TeamRole.VISOR_MANAGER}


class TeamMemberForm(PlainWords, forms.Form):
    user = UserChoiceField(label="Person",
                           help_text="Type part of a name or agency to narrow the list.")
    role = forms.ChoiceField(
        choices=[c for c in TeamRole.choices if c[0] not in TEAM_ROLES_ON_THE_RECORD],
        help_text="The case manager and the ViSOR manager are set on the record itself.")
    sees_victims = forms.BooleanField(
        label="May see victim details (only if their part in the case needs it)",
        required=False)
    date_from = forms.DateField(label="From", widget=DateInput)

    def __init__(self, *args, nominal: Nominal, may_grant_victims: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominal = nominal
        # People excluded from the case are not offered at all.
        self.fields["user"].queryset = active_users().exclude(
            case_exclusions__nominal=nominal)
        self.fields["date_from"].initial = timezone.localdate()
        if not may_grant_victims:
            del self.fields["sees_victims"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if self.nominal.restricted and not NamedAccess.objects.filter(
                nominal=self.nominal, user=user).exists():
            raise ValidationError(RESTRICTED_MESSAGE)
        return user


class TeamEndForm(PlainWords, forms.Form):
    date_to = forms.DateField(label="Last day on the team", widget=DateInput,
                              help_text="Access to the case ends from this day.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_to"].initial = timezone.localdate()


class TransferForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Transfer
        fields = ["direction", "other_jurisdiction", "restricted", "is_community_order",
                  "cpo_permission_by", "cpo_permission_on", "status", "transfer_date",
                  "notes"]
        widgets = {"cpo_permission_on": DateInput, "transfer_date": DateInput,
                   "notes": text_area(3)}
        labels = {"other_jurisdiction": "From or to (the other jurisdiction)",
                  "cpo_permission_by": "Chief Probation Officer's permission given by",
                  "restricted": "Restricted transfer (the conditions of the order continue to "
                                "apply after transfer)",
                  "is_community_order": "Transfer of a community order (needs the Chief "
                                        "Probation Officer's permission, §12)"}
        help_texts = {"restricted": "In Jersey a transfer is usually only permitted on a "
                                    "restricted basis (§12): untick only for an unrestricted "
                                    "one."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # §12: restricted is the usual basis
            self.fields["restricted"].initial = True

    def clean(self):
        data = super().clean()
        if data.get("is_community_order") and data.get("status") in (
            TransferStatus.AGREED, TransferStatus.COMPLETED
        ):
            missing = [name for name in ("cpo_permission_by", "cpo_permission_on")
                       if not data.get(name)]
            if missing:
                self.add_error("status", CPO_MESSAGE)
                for name in missing:
                    if name not in self.errors:
                        self.add_error(name, "Required for an agreed or completed community "
                                             "order transfer.")
        _not_in_future(self, "cpo_permission_on")
        return data


class DeviationForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Deviation
        fields = ["what", "why", "guidance_section", "decided_on"]
        widgets = {"what": text_area(3), "why": text_area(3), "decided_on": DateInput}
        labels = {"what": "What departs from the Guidance", "why": "The reasons",
                  "guidance_section": "Section of the Guidance", "decided_on": "Decided on"}
        help_texts = {"guidance_section": "For example §10.11."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        _not_in_future(self, "decided_on")
        return data


class VictimForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Victim
        fields = ["relationship", "age_band", "gender", "contact_restrictions",
                  "victim_liaison_contact", "notes"]
        widgets = {"contact_restrictions": text_area(2), "notes": text_area(3)}
        labels = {"relationship": "Relationship to the offender"}
        help_texts = {"relationship": "For example “former partner”, “stranger”. No names "
                                      "unless the case needs them."}
