"""The referral's forms: the Appendix A form with its agencies to be involved, and the
Co-ordinator's four screening decisions.

Forms only validate what a person can get wrong while typing; the views hand the cleaned
data to referrals/services.py, which checks again and writes. What the Co-ordinator needs
before screening (Appendix B) is not enforced on a draft: it is listed beside each field
when the referrer sends it (`services.submission_errors`).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import dateformat

from cases.models import CAT3_MESSAGE, Cat3Disposal, Category, Level, Nominal
from jmappa import access
from jmappa.accounts.models import Agency
from jmappa.core.forms import (
    YES_NO,
    DateInput,
    Fieldsets,
    FilterForm,
    PlainWords,
    opened_values,
    read_opened,
    sign_opened,
)

from .models import Referral, ReferralStatus
from .services import AGENCY_FIELDS, CONFIRMED_CATEGORIES, REFERRAL_FIELDS

NEW_RECORD = "new"

# What a field needs before the referral can be sent (shown where "(optional)" would be).
NEEDED = {
    "date_of_birth": "needed to send",
    "conviction": "needed to send, unless a PDP",
    "reasons": "needed to send",
    "why_not_level_1": "needed to send",
    "level_proposed": "needed to send",
    "lead_agency": "needed to send",
    "contact_name": "needed to send",
    "contact_telephone": "needed to send, unless an email is given",
    "contact_email": "needed to send, unless a telephone is given",
    "earliest_release_date": "in custody or hospital: this or the date below",
    "temporary_release_date": "in custody or hospital: this or the date above",
    "institution_contact": "needed in custody or hospital",
    "cat3_capacity_for_serious_harm": "needed for Category 3",
    "cat3_needs_multi_agency_management": "needed for Category 3",
    "cat3_disposal": "needed for Category 3",
    "agency": "needed to send",
    "person": "needed to send",
    "person_email": "needed to send, unless a telephone is given",
    "person_telephone": "needed to send, unless an email is given",
}


def _text(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _use_referral_fields(form: forms.Form) -> None:
    for name, field in form.fields.items():
        field.needed = NEEDED.get(name, "")


# -- the Appendix A form -----------------------------------------------------------------------


class ReferralForm(PlainWords, Fieldsets, forms.ModelForm):
    """Every field of Appendix A. Only the subject's names are needed to keep a draft."""

    # Where the errors about the agencies to be involved are listed (the rows have their own).
    agencies = forms.CharField(label="Agencies to be involved", required=False,
                               widget=forms.HiddenInput)

    fieldsets = [
        ("The subject", "", [
            "given_names", "family_name", "date_of_birth", "aliases", "address",
            "prison_number",
        ]),
        ("Conviction", "", ["conviction", "sexual_offence", "pnc_number", "custody_status"]),
        ("In custody or in hospital",
         "Needed when the subject is in custody or in hospital: the meeting is held 6 months "
         "before release (§10.4), and the institution's Offender Supervisor or Responsible "
         "Medical Officer is invited (Appendix B).", [
             "earliest_release_date", "temporary_release_date", "institution_contact",
         ]),
        ("Type: supervision or licence", "", [
            "supervision_type", "supervision_start", "supervision_end",
        ]),
        ("Lead agency contact details", "", [
            "lead_agency", "contact_name", "contact_area", "contact_telephone",
            "contact_email", "contact_address",
        ]),
        ("Referral information",
         "Why the case needs multi-agency management, and why normal liaison between the "
         "agencies is not enough: cases are managed at the lowest level possible "
         "(Appendix B).", ["reasons", "why_not_level_1", "victims"]),
        ("JMAPPA level proposed and category", "", ["level_proposed", "category_proposed"]),
        ("Meeting", "", ["urgency"]),
    ]

    class Meta:
        model = Referral
        fields = REFERRAL_FIELDS
        widgets = {
            "nominal": forms.HiddenInput,
            "date_of_birth": DateInput, "earliest_release_date": DateInput,
            "temporary_release_date": DateInput, "supervision_start": DateInput,
            "supervision_end": DateInput,
            "aliases": _text(2), "address": _text(2), "conviction": _text(2),
            "institution_contact": _text(2), "contact_address": _text(2),
            "reasons": _text(5), "why_not_level_1": _text(4), "victims": _text(3),
            "custody_status": forms.RadioSelect, "supervision_type": forms.RadioSelect,
            "level_proposed": forms.RadioSelect, "urgency": forms.RadioSelect,
        }
        labels = {
            "given_names": "Given names",
            "family_name": "Family name",
            "aliases": "Aliases",
            "conviction": "Conviction",
            "sexual_offence": "The offence, or the concern, is sexual",
            "custody_status": "Where the subject is now",
            "earliest_release_date": "Earliest release date",
            "temporary_release_date": "Eligibility date for release on temporary licence",
            "institution_contact": "Offender Supervisor or Responsible Medical Officer",
            "supervision_type": "Type",
            "supervision_start": "Start date",
            "supervision_end": "End date",
            "lead_agency": "Lead agency",
            "contact_name": "Contact's name",
            "contact_area": "Area",
            "contact_address": "Agency address",
            "contact_telephone": "Telephone",
            "contact_email": "Email address",
            "reasons": "Reasons for the referral",
            "why_not_level_1": "Why the case cannot be managed at level 1",
            "victims": "Potential or actual victims",
            "level_proposed": "JMAPPA level proposed",
            "category_proposed": "JMAPPA category",
            "urgency": "Meeting needed",
        }
        help_texts = {
            "aliases": "One name per line.",
            "conviction": "The current or most important sexual or violent offence. A "
                          "potentially dangerous person (PDP) has none.",
            "sexual_offence": "A sex offender is always discussed at a multi-agency meeting "
                              "(§9.2).",
            "institution_contact": "The institution's contact, with their telephone or email.",
            "contact_telephone": "A telephone number or an email address, or both.",
            "reasons": "Include the risk level, and significant information about current "
                       "offences, previous convictions and the pattern of offending.",
            "victims": "Names and relationships, including partners and children. Shown only "
                       "to you, the JMAPPA Co-ordinator and those on the case allowed to see "
                       "victims.",
            "urgency": "An emergency meeting is due at once; otherwise the meeting is held "
                       "within 15 working days of receipt, or 6 months before release from "
                       "custody (§10.4).",
        }

    # Radio buttons given a row of their own.
    wide_fields = {"custody_status", "supervision_type"}

    def sections(self):
        for section in super().sections():
            section["fields"] = [(bound, "col-12" if bound.name in self.wide_fields else css)
                                 for bound, css in section["fields"]]
            yield section

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        instance = self.instance
        self.fields["nominal"].queryset = access.restrict_nominals(Nominal.objects.all(), user)
        self.fields["lead_agency"].queryset = Agency.objects.filter(
            Q(is_active=True) | Q(pk=instance.lead_agency_id or 0))
        self.fields["supervision_type"].choices = [
            choice for choice in self.fields["supervision_type"].choices if choice[0]]
        self.fields["level_proposed"].choices = [
            choice for choice in self.fields["level_proposed"].choices if choice[0]]
        self.fields["category_proposed"].choices = [
            (value, "Not yet known" if value == Category.UNKNOWN else label)
            for value, label in self.fields["category_proposed"].choices if value]
        _use_referral_fields(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("supervision_start"), data.get("supervision_end")
        if start and end and end < start:
            self.add_error("supervision_end", "The end date cannot be before the start date.")
        return data

    def referral_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REFERRAL_FIELDS}


class ReferralEditForm(ReferralForm):
    """Carries the version the referrer opened and, signed, the values they saw: a stale
    save is refused with what someone else changed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    SALT = "referrals.referral-edit"

    @classmethod
    def opened_token(cls, referral: Referral, agencies: list[dict]) -> str:
        rows = [{**row, "agency": getattr(row["agency"], "pk", row["agency"])}
                for row in agencies]
        return sign_opened(referral, REFERRAL_FIELDS, cls.SALT, agencies=rows)

    def _token(self) -> dict | None:
        return read_opened(self.cleaned_data.get("opened"), self.SALT, self.instance.pk)

    def opened_referral(self) -> Referral | None:
        """The referral as the user saw it when they opened the form, if the token is good."""
        token = self._token()
        values = token and opened_values(Referral, REFERRAL_FIELDS, token)
        return None if values is None else Referral(pk=self.instance.pk, **values)

    def opened_agencies(self) -> list[dict] | None:
        token = self._token()
        return None if token is None else token.get("agencies", [])


# -- the agencies to be involved -----------------------------------------------------------------


class ReferralAgencyForm(PlainWords, forms.Form):
    """One agency to be involved and the named person to invite (Appendix B e)."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False,
                                    empty_label="Choose the agency")
    person = forms.CharField(label="Name of the person to invite", max_length=200,
                             required=False)
    person_email = forms.EmailField(label="Their email", required=False)
    person_telephone = forms.CharField(label="Their telephone", max_length=40,
                                       required=False)
    person_details = forms.CharField(label="Address or other contact details",
                                     widget=_text(2), required=False)

    # Form field name -> the service's name for it (services.AGENCY_FIELDS).
    SERVICE_NAMES = {"agency": "agency", "person": "contact_name",
                     "person_email": "contact_email", "person_telephone": "contact_telephone",
                     "person_details": "contact_details"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        _use_referral_fields(self)

    def clean(self):
        data = super().clean()
        typed = any((data.get(name) or "").strip() for name in
                    ("person", "person_email", "person_telephone", "person_details"))
        if typed and not data.get("agency") and "agency" not in self.errors:
            self.add_error("agency", "Choose the agency, or clear this row.")
        return data

    def row(self) -> dict | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("DELETE") or not data.get("agency"):
            return None
        return {service: (data.get(name) or "").strip() if name != "agency" else data[name]
                for name, service in self.SERVICE_NAMES.items()}

    @classmethod
    def initial_from(cls, row: dict) -> dict:
        """A stored row (services' names) as this form's initial values."""
        return {name: row.get(service) for name, service in cls.SERVICE_NAMES.items()}


class BaseReferralAgencyFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this agency from the referral"

    def rows(self) -> list[dict]:
        return [row for row in (form.row() for form in self.forms) if row]


ReferralAgencyFormSet = forms.formset_factory(
    ReferralAgencyForm, formset=BaseReferralAgencyFormSet, extra=1, can_delete=True,
    can_delete_extra=False, max_num=30, validate_max=True,
)


def agency_formset(data=None, *, rows: list[dict] | None = None) -> BaseReferralAgencyFormSet:
    """The rows stored (services' names), and one blank row to fill in."""
    initial = [ReferralAgencyForm.initial_from(row) for row in rows or []]
    return ReferralAgencyFormSet(data, initial=initial, prefix="agencies")


def stored_rows(referral: Referral) -> list[dict]:
    return [{name: getattr(row, name) for name in AGENCY_FIELDS}
            for row in referral.agencies.all()]


# -- lists --------------------------------------------------------------------------------------


class ReferralFilterForm(FilterForm):
    status = forms.ChoiceField(label="Status",
                               choices=[("", "Any status"), *ReferralStatus.choices])


# -- the Co-ordinator's decisions -------------------------------------------------------------


def _record_label(nominal: Nominal) -> str:
    born = dateformat.format(nominal.date_of_birth, "j F Y") if nominal.date_of_birth else "?"
    label = f"{nominal.reference}: {nominal}, born {born}"
    if nominal.pnc_number:
        label += f", PNC {nominal.pnc_number}"
    if nominal.status == "archived":
        label += " (archived)"
    return label


class ScreeningForm(PlainWords, forms.Form):
    """A decision on one referral. Where the register may already hold its subject, the
    Co-ordinator links the referral to one of those records or confirms a new one."""

    def __init__(self, *args, referral: Referral, matches=(), hidden_match: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        _use_referral_fields(self)
        self.referral = referral
        # Only the matches the screener may see are offered; one they may not see is not
        # named, but still asks them to confirm a new record.
        self.matches = {str(nominal.pk): nominal for nominal in matches}
        if "record" in self.fields:
            if referral.nominal_id or not (self.matches or hidden_match):
                del self.fields["record"]
            else:
                self.fields["record"].choices = [
                    *[(pk, _record_label(n)) for pk, n in self.matches.items()],
                    (NEW_RECORD, "A new record: this is a different person"),
                ]

    def record_choice(self) -> dict:
        """The service's `nominal` and `create_new` for the record chosen."""
        record = self.cleaned_data.get("record")
        if not record:
            return {}
        if record == NEW_RECORD:
            return {"create_new": True}
        return {"nominal": self.matches[record]}


RECORD_FIELD = dict(
    label="The record to link",
    widget=forms.RadioSelect,
    error_messages={"required": "Choose the record to link: one of the possible matches, or "
                                "a new record."},
    help_text="The register may already hold this person (same PNC number, or same date of "
              "birth and a similar name or alias). Link the referral to their record, or "
              "confirm that this is a different person.",
)
CONFIRMED_LABELS = {value: label for value, label in Category.choices
                    if value in CONFIRMED_CATEGORIES}


def _cat3_label(name: str) -> str:
    label = str(Nominal._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


class AcceptForm(ScreeningForm):
    level = forms.ChoiceField(label="Level agreed", widget=forms.RadioSelect,
                              choices=[(Level.TWO, Level.TWO.label),
                                       (Level.THREE, Level.THREE.label)])
    category = forms.ChoiceField(label="Category confirmed", widget=forms.RadioSelect,
                                 choices=list(CONFIRMED_LABELS.items()))
    cat3_capacity_for_serious_harm = forms.NullBooleanField(
        label=_cat3_label("cat3_capacity_for_serious_harm"), required=False, widget=YES_NO)
    cat3_needs_multi_agency_management = forms.NullBooleanField(
        label=_cat3_label("cat3_needs_multi_agency_management"), required=False,
        widget=YES_NO)
    cat3_disposal = forms.ChoiceField(
        label=_cat3_label("cat3_disposal"), required=False,
        choices=[("", "None"), *Cat3Disposal.choices],
        help_text="The conviction, caution or reprimand/warning that qualifies.")
    record = forms.ChoiceField(**RECORD_FIELD)
    note = forms.CharField(label="Note for the referrer", widget=_text(3), required=False,
                           help_text="Sent to the referrer with the decision.")

    CAT3_FIELDS = ("cat3_capacity_for_serious_harm", "cat3_needs_multi_agency_management",
                   "cat3_disposal")

    def clean(self):
        data = super().clean()
        if data.get("category") == Category.THREE:
            for name in ("cat3_capacity_for_serious_harm", "cat3_needs_multi_agency_management"):
                if data.get(name) is not True and name not in self.errors:
                    self.add_error(name, "Category 3 needs the Co-ordinator to be satisfied "
                                         "of this test (§3.9); otherwise choose another "
                                         "category.")
            if not data.get("cat3_disposal"):
                self.add_error("cat3_disposal", CAT3_MESSAGE)
        return data

    def decision(self) -> dict:
        data = self.cleaned_data
        return {"level": data["level"], "category": data["category"],
                "cat3_capacity_for_serious_harm": data.get("cat3_capacity_for_serious_harm"),
                "cat3_needs_multi_agency_management":
                    data.get("cat3_needs_multi_agency_management"),
                "cat3_disposal": data.get("cat3_disposal") or "",
                "note": data.get("note") or "", **self.record_choice()}


class RejectForm(ScreeningForm):
    reason = forms.CharField(
        label="Why the case is not eligible", widget=_text(5),
        error_messages={"required": "Give the reason: the referring agency is told why the "
                                    "case is not eligible (§3.5)."},
        help_text="The referring agency is told this reason, in the application and by "
                  "email (§3.5). Particularly for Category 3, say what the referral lacks.")

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Give the reason: the referring agency is told why the "
                                  "case is not eligible (§3.5).")
        return reason


class RequestInfoForm(ScreeningForm):
    note = forms.CharField(
        label="What information is needed", widget=_text(5),
        error_messages={"required": "Say what information is needed."},
        help_text="The referrer sees this note on the referral and by email, adds the "
                  "information and sends the referral again.")

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError("Say what information is needed.")
        return note


class ConfirmLevel1Form(ScreeningForm):
    category = forms.ChoiceField(
        label="Category confirmed", widget=forms.RadioSelect,
        choices=[(c, CONFIRMED_LABELS[c]) for c in (Category.TWO, Category.PDP)],
        help_text="Category 1 and Category 3 cases are managed at level 2 or 3: accept the "
                  "referral instead (§3.9, §9.2).")
    record = forms.ChoiceField(**RECORD_FIELD)
    note = forms.CharField(label="Note for the lead agency", widget=_text(3), required=False,
                           help_text="For example, what the level 1 discussion "
                                     "should consider.")

    def decision(self) -> dict:
        return {"category": self.cleaned_data["category"],
                "note": self.cleaned_data.get("note") or "", **self.record_choice()}
