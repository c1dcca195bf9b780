"""The minutes' forms: the structured minutes in the order the meeting takes them, the
information shared by each agency, a correction's reason, the Chair's consent to share.

Forms only check what a person can get wrong while typing; what finalising needs is the
service's to say (services.minutes.finalise_problems), so that a draft can be saved at any
point of the meeting.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import dateformat

from cases.models import Level
from jmappa.accounts.models import Agency
from jmappa.core.forms import (
    YES_NO,
    DateInput,
    Fieldsets,
    PlainWords,
    opened_values,
    read_opened,
    sign_opened,
)

from ..models import Minutes
from ..services.minutes import MINUTES_FIELDS, ROSH_GROUPS

GROUP_LABELS = {"public": "Public", "prisoners": "Prisoners", "known_adult": "Known adult",
                "children": "Children", "staff": "Staff"}


def _text(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MinutesForm(PlainWords, Fieldsets, forms.ModelForm):
    """The draft minutes. Carries the version the user opened and, signed, the values they
    saw: a save over someone else's is refused with what they changed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    SALT = "meetings.minutes-edit"

    # (legend, note, fields): the page places the attendees, the information shared and
    # the plan between them, in the order the minutes read.
    fieldsets = [
        ("Opening", "", ["confidentiality_read"]),
        ("Agreed risk assessment",
         "The risk of serious harm the meeting agreed (§9.1), overall and by who is at risk. "
         "Finalising the minutes records it on the case.",
         ["rosh_overall", *[f"rosh_{group}" for group in ROSH_GROUPS],
          "who_is_at_risk", "nature_of_risk", "imminence"]),
        ("Level decision",
         "Every JMAPP meeting must ask itself: “Does this case require ongoing JMAPPA "
         "management at this level?” (§10.2). Cases are managed at the lowest level that "
         "fits.", ["level_decision", "ongoing_at_this_level", "ongoing_reasons"]),
        ("Discharge from JMAPPA",
         "The possibility of discharge from JMAPPA is considered at every meeting (§13.3).",
         ["discharge_considered", "discharge_notes"]),
        ("Third-party disclosure",
         "Disclosure to third parties must be considered at every meeting, and the decision "
         "recorded with its reasons (§5.2; KPI 3 at levels 2 and 3).",
         ["disclosure_considered", "disclosure_decision", "disclosure_reasons"]),
        ("Differences of opinion",
         "Agreement between agencies is a goal, not a requirement: any difference of opinion "
         "on the risk assessment or the plan is fully documented (§1.3).",
         ["differences_of_opinion"]),
        ("Withholding from the offender",
         "Information about JMAPPA is withheld from the offender only where knowing it may "
         "increase their risk; the decision is agreed here and its reasons recorded (§3.6).",
         ["withhold_from_offender", "withhold_reason"]),
        ("Next review", "", ["next_review_by", "next_review_deviation"]),
    ]
    # Where the page puts what is not a field of this form: after the named section.
    OPENING, RISK, PLAN_BEFORE = "opening", "agreed-risk-assessment", "next-review"

    class Meta:
        model = Minutes
        fields = MINUTES_FIELDS
        widgets = {
            "who_is_at_risk": _text(2), "nature_of_risk": _text(2), "imminence": _text(2),
            "ongoing_reasons": _text(3), "discharge_notes": _text(2),
            "disclosure_reasons": _text(3), "differences_of_opinion": _text(3),
            "withhold_reason": _text(2), "next_review_deviation": _text(2),
            "level_decision": forms.RadioSelect, "disclosure_decision": forms.RadioSelect,
            "next_review_by": DateInput,
        }
        labels = {
            "confidentiality_read": "The confidentiality statement was read to the meeting",
            "rosh_overall": "Overall risk of serious harm",
            "who_is_at_risk": "Who is at risk",
            "nature_of_risk": "The nature of the harm",
            "imminence": "How imminent it is",
            "level_decision": "Level decided",
            "ongoing_at_this_level":
                "Does this case require ongoing JMAPPA management at this level?",
            "ongoing_reasons": "What will be achieved at this level, and the actions needed",
            "discharge_considered": "Discharge from JMAPPA was considered",
            "discharge_notes": "What the meeting concluded",
            "disclosure_considered": "Third-party disclosure was considered",
            "disclosure_decision": "Decision",
            "disclosure_reasons": "Reasons for the decision",
            "differences_of_opinion": "Differences of opinion between agencies",
            "withhold_from_offender": "Withhold information about JMAPPA from the offender",
            "withhold_reason": "Reasons for withholding",
            "next_review_by": "Next review by",
            "next_review_deviation": "Reasons for a later review",
        }
        help_texts = {
            "ongoing_reasons": "If yes: what will be achieved, and the actions required to "
                               "ensure it happens (§10.2).",
            "disclosure_reasons": "To whom, what, and why; or why not.",
            "differences_of_opinion": "Which agency, on what, and why. Leave empty if the "
                                      "agencies agreed.",
            "next_review_deviation": "Only for a date later than the Guidance allows: it is "
                                     "recorded as a deviation (§1.1).",
        }

    def __init__(self, *args, latest_review: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ongoing_at_this_level"] = forms.NullBooleanField(
            label=self._meta.labels["ongoing_at_this_level"], required=False, widget=YES_NO)
        self.fields["level_decision"].choices = [
            (value, label) for value, label in Level.choices if value != Level.UNKNOWN]
        # A deferral names its date and what is awaited, on the disclosure step (§5.2).
        self.fields["disclosure_decision"].choices = [
            (value, "Defer to a named later date" if value == "defer" else label)
            for value, label in self.fields["disclosure_decision"].choices if value]
        self.fields["rosh_overall"].choices = [("", "—"), *self.fields["rosh_overall"].choices[1:]]
        for group, label in GROUP_LABELS.items():
            field = self.fields[f"rosh_{group}"]
            field.label = label
            field.choices = [("", "—"), *field.choices[1:]]
        if latest_review is not None:
            self.fields["next_review_by"].help_text = (
                f"The latest the Guidance allows is "
                f"{dateformat.format(latest_review, 'l j F Y')} (§10.11). A later date needs "
                f"its reasons.")
        self.latest_review = latest_review

    def groups(self):
        return [self[f"rosh_{group}"] for group in ROSH_GROUPS]

    def minutes_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in MINUTES_FIELDS}

    # -- what the user saw when they opened the form --

    @classmethod
    def opened_token(cls, minutes: Minutes, information: list[dict]) -> str:
        rows = [[getattr(row["agency"], "pk", row["agency"]), row["information"]]
                for row in information]
        return sign_opened(minutes, MINUTES_FIELDS, cls.SALT, information=rows)

    def _token(self) -> dict | None:
        return read_opened(self.cleaned_data.get("opened"), self.SALT, self.instance.pk)

    def opened_minutes(self) -> Minutes | None:
        """The draft as the user saw it when they opened the form, if the token is good."""
        token = self._token()
        values = token and opened_values(Minutes, MINUTES_FIELDS, token)
        if values is None:
            return None
        return Minutes(pk=self.instance.pk, meeting_id=self.instance.meeting_id, **values)

    def opened_information(self) -> list[list] | None:
        token = self._token()
        return None if token is None else token.get("information", [])


# -- the information shared by each agency -------------------------------------------------------


class InformationForm(forms.Form):
    """What one agency shared at the meeting."""

    agency = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    information = forms.CharField(label="Information shared", required=False, widget=_text(3))

    def __init__(self, *args, agencies: dict[int, Agency], choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        self.fields["agency"].choices = choices

    def clean(self):
        data = super().clean()
        if (data.get("information") or "").strip() and not data.get("agency"):
            self.add_error("agency", "Choose the agency that shared this, or clear the row.")
        return data

    def row(self) -> dict | None:
        data = getattr(self, "cleaned_data", None) or {}
        text = (data.get("information") or "").strip()
        if not data.get("agency") or not text:
            return None
        return {"agency": self.agencies[data["agency"]], "information": text}


class BaseInformationFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [row for row in (form.row() for form in self.forms) if row]


InformationFormSet = forms.formset_factory(
    InformationForm, formset=BaseInformationFormSet, extra=1, max_num=40, validate_max=True)


def information_formset(data=None, *, stored: list[dict], invited: list[Agency],
                        agencies: list[Agency]) -> BaseInformationFormSet:
    """The rows stored, a row for each invited agency that has none yet, and a blank one.
    The agency choices are built once for every row."""
    by_pk = {agency.pk: agency for agency in agencies}
    for agency in [*(row["agency"] for row in stored), *invited]:
        by_pk.setdefault(agency.pk, agency)
    choices = [("", "Choose the agency"),
               *[(agency.pk, agency.name)
                 for agency in sorted(by_pk.values(), key=lambda agency: agency.name)]]
    initial = [{"agency": row["agency"].pk, "information": row["information"]}
               for row in stored]
    present = {row["agency"].pk for row in stored}
    for agency in invited:
        if agency.pk not in present:
            present.add(agency.pk)
            initial.append({"agency": agency.pk, "information": ""})
    return InformationFormSet(data, initial=initial, prefix="information",
                              form_kwargs={"agencies": by_pk, "choices": choices})


# -- corrections and consent -------------------------------------------------------------------


class CorrectionForm(PlainWords, forms.Form):
    reason = forms.CharField(label="Reason for the correction", widget=_text(3),
                             help_text="What is wrong in the final minutes. Both versions "
                                       "are kept.")


class ConsentForm(PlainWords, forms.Form):
    third_party = forms.TypedChoiceField(
        label="Who are the minutes for?", widget=forms.RadioSelect,
        choices=[("False", "An agency working with the case (for example the MAPPA area it "
                           "transfers to, or an agency joining its management)"),
                 ("True", "A court, the IPCC, the Law Officers' Department, the offender or "
                          "another third party who asked for them")],
        coerce=lambda value: value == "True")
    recipient = forms.CharField(label="Shared with", max_length=300,
                                help_text="The person or body, outside the invited agencies.")
    purpose = forms.CharField(label="Purpose", widget=_text(3),
                              help_text="Why they need the minutes: share only what the "
                                        "purpose needs (§4).")
