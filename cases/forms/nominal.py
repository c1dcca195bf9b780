"""The case register's forms of the nominal itself, and what every form of the register
shares (the constraint messages, the date checks): each rule checked in the user's words,
nothing typed lost.

Forms only validate; the views hand the cleaned data to cases/services.py, which
checks again (full_clean) and writes. `jmappa.core.forms.add_service_errors` turns what a service
refuses into errors beside the fields.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from jmappa.accounts.models import Agency, User
from jmappa.core.forms import (
    YES_NO,
    DateInput,
    Fieldsets,
    PlainWords,
    UserChoiceField,
    opened_values,
    read_opened,
    sign_opened,
    text_area,
)
from jmappa.core.images import PHOTO_MAX_BYTES, clean_photo  # noqa: F401 (cases.forms says it)

from ..models import (
    AliasKind,
    Level,
    NamedAccess,
    Nominal,
)
from ..services import NOMINAL_FIELDS

NOT_IN_FUTURE = "This date cannot be in the future."
RESTRICTED_MESSAGE = (
    "This case is restricted: only the people the JMAPPA Co-ordinator has named see it. Ask "
    "the Co-ordinator to name this person first."
)



# -- widgets and fields ------------------------------------------------------------------------


def _not_in_future(form: forms.Form, *names: str) -> None:
    today = timezone.localdate()
    for name in names:
        value = form.cleaned_data.get(name)
        if value and value > today:
            form.add_error(name, NOT_IN_FUTURE)


# -- the nominal -----------------------------------------------------------------------------


IDENTITY_FIELDS = ["given_names", "family_name", "date_of_birth", "pnc_number"]


class NominalForm(PlainWords, Fieldsets, forms.ModelForm):
    """The record itself. Create and edit share it; `NominalCreateForm` adds the first alias,
    address and level."""

    confirm_not_duplicate = forms.BooleanField(
        label="This is a different person: save anyway", required=False)
    duplicates_seen = forms.CharField(required=False, widget=forms.HiddenInput)

    fieldsets = [
        ("Identity", "", [
            "given_names", "family_name", "date_of_birth", "gender", "ethnicity",
            "pnc_number", "visor_number", "prison_number", "diversity_needs", "photo",
            "remove_photo",
        ]),
        ("First alias and current address", "Optional: more can be added later.", [
            "alias_name", "alias_kind", "address", "address_postcode", "address_from",
        ]),
        ("JMAPPA status", "", [
            "eligibility", "category", "level", "level_reason", "index_offence",
        ]),
        ("Category 3: the Co-ordinator's tests",
         "Only for Category 3 (§3.9): the Co-ordinator must be satisfied of both tests, and "
         "there must be a conviction, caution or reprimand/warning. A potentially dangerous "
         "person has none.", [
             "cat3_capacity_for_serious_harm", "cat3_needs_multi_agency_management",
             "cat3_disposal",
         ]),
        ("Management", "", ["lead_agency", "case_manager", "visor_manager"]),
        ("Custody, sentence and dates", "", [
            "custody_status", "order_type", "sentence", "sentence_date", "identified_on",
            "order_start", "order_end", "earliest_release_date", "temporary_release_date",
        ]),
        ("Information sharing", "", [
            "consent_to_share", "consent_date", "consent_scope",
        ]),
    ]

    class Meta:
        model = Nominal
        fields = [*NOMINAL_FIELDS, "photo"]
        widgets = {
            "date_of_birth": DateInput, "order_start": DateInput, "order_end": DateInput,
            "sentence_date": DateInput, "identified_on": DateInput,
            "earliest_release_date": DateInput, "temporary_release_date": DateInput,
            "consent_date": DateInput,
            "diversity_needs": text_area(2), "index_offence": text_area(2),
            "sentence": text_area(2),
            "consent_scope": text_area(2),
            "cat3_capacity_for_serious_harm": YES_NO,
            "cat3_needs_multi_agency_management": YES_NO,
            "photo": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        labels = {
            "pnc_number": "PNC number", "visor_number": "ViSOR number",
            "consent_scope": "What the consent covers",
        }
        help_texts = {
            "photo": "Optional. A JPEG, PNG or WebP image, up to 5 MB.",
            "case_manager": "A member of the lead agency.",
            "cat3_disposal": "Required for Category 3.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        instance = self.instance
        # The record as stored before this form touches it: duplicates are looked for when
        # the identity changes.
        self.stored_identity = {name: getattr(instance, name) for name in IDENTITY_FIELDS}
        self.fields["lead_agency"].queryset = Agency.objects.filter(
            Q(is_active=True) | Q(pk=instance.lead_agency_id or 0))
        for name in ("case_manager", "visor_manager"):
            current = getattr(instance, f"{name}_id") or 0
            label = self.fields[name].label
            help_text = self.fields[name].help_text
            people = User.objects.filter(Q(is_active=True) | Q(pk=current))
            if instance.pk:
                # Nobody the Co-ordinator excluded from this case is offered.
                people = people.exclude(Q(case_exclusions__nominal=instance) & ~Q(pk=current))
            self.fields[name] = UserChoiceField(
                queryset=people.select_related("agency")
                .order_by("last_name", "first_name", "username"),
                required=False, label=label, help_text=help_text)
        for name in ("cat3_capacity_for_serious_harm", "cat3_needs_multi_agency_management"):
            self.fields[name] = forms.NullBooleanField(
                label=self.fields[name].label, required=False, widget=YES_NO,
                help_text="Required for Category 3.")
        self.fields["cat3_disposal"].choices = [("", "None"),
                                                *self.fields["cat3_disposal"].choices[1:]]
        self.fields["photo"].required = False
        if instance.pk and instance.photo:
            self.fields["remove_photo"] = forms.BooleanField(
                label="Take the current photo off the record", required=False)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        # A new upload (not the file already on the record): checked and re-encoded.
        if photo and not getattr(photo, "_committed", False):
            clean_photo(photo)
        return photo

    def clean(self):
        # The record's own rules (date of birth in the past, order end after start, release
        # after sentence, Category 3's tests, a PDP without a disposal, the case manager from
        # the lead agency, ...) are the model's (Nominal.clean),
        # checked for this form when it validates the record; here, what only a person
        # filling in the form can get wrong.
        data = super().clean()
        get = data.get
        _not_in_future(self, "identified_on", "consent_date")
        if self.instance.pk and self.instance.restricted:
            named = set(NamedAccess.objects.filter(nominal=self.instance)
                        .values_list("user", flat=True))
            for name in ("case_manager", "visor_manager"):
                person = get(name)
                if person and person.pk not in named \
                        and person.pk != getattr(self.instance, f"{name}_id"):
                    self.add_error(name, RESTRICTED_MESSAGE)
        return data

    def record_fields(self) -> dict:
        """The cleaned values of the record's own fields, for the services."""
        return {name: self.cleaned_data[name] for name in NOMINAL_FIELDS}

    def identity_changed(self) -> bool:
        return any(self.cleaned_data.get(name) != value
                   for name, value in self.stored_identity.items())

    def duplicates_token(self, pks) -> str:
        """What the page keeps of the records it warned about: a keyed digest of their ids
        and the user's, which tells nothing of them (a record the user may not see must
        not be named, not even by its id)."""
        listed = ",".join(str(pk) for pk in sorted(pks))
        return salted_hmac("cases.duplicates_seen", f"{self.user.pk}:{listed}",
                           algorithm="sha256").hexdigest()

    def confirms_duplicates(self, pks) -> bool:
        """Whether "This is a different person" was ticked on a warning about exactly these
        records."""
        return bool(self.cleaned_data.get("confirm_not_duplicate")) and constant_time_compare(
            self.cleaned_data.get("duplicates_seen") or "", self.duplicates_token(pks))


class NominalCreateForm(NominalForm):
    alias_name = forms.CharField(label="Alias", max_length=300, required=False)
    alias_kind = forms.ChoiceField(label="Kind of alias", choices=AliasKind.choices,
                                   initial=AliasKind.ALIAS, required=False)
    address = forms.CharField(label="Current address", widget=text_area(2), required=False)
    address_postcode = forms.CharField(label="Postcode", max_length=12, required=False)
    address_from = forms.DateField(label="Living there since", widget=DateInput,
                                   required=False)
    level = forms.ChoiceField(label="Management level", choices=Level.choices,
                              initial=Level.UNKNOWN)
    level_reason = forms.CharField(
        label="Reason for this level", widget=text_area(2), required=False,
        help_text="Required when a level is chosen: who decided it and why.")

    def clean(self):
        data = super().clean()
        if data.get("level") and data["level"] != Level.UNKNOWN \
                and not (data.get("level_reason") or "").strip():
            self.add_error("level_reason", "Give the reason for the initial level.")
        if data.get("address_from") and data["address_from"] > timezone.localdate():
            self.add_error("address_from", NOT_IN_FUTURE)
        if (data.get("address_postcode") or data.get("address_from")) \
                and not (data.get("address") or "").strip():
            self.add_error("address", "Give the address, or clear its postcode and date.")
        return data

    def extra_names(self) -> list[str]:
        return [f"{self.cleaned_data['alias_name']}".strip()] \
            if (self.cleaned_data.get("alias_name") or "").strip() else []


class NominalEditForm(NominalForm):
    """Carries the version the user opened and, signed, the values they saw: a stale save
    is refused with what someone else changed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    SALT = "cases.nominal-edit"

    @classmethod
    def opened_token(cls, nominal: Nominal) -> str:
        return sign_opened(nominal, NOMINAL_FIELDS, cls.SALT)

    def opened_nominal(self) -> Nominal | None:
        """The record as the user saw it when they opened the form, if the token is good."""
        token = read_opened(self.cleaned_data.get("opened"), self.SALT, self.instance.pk)
        values = token and opened_values(Nominal, NOMINAL_FIELDS, token)
        return None if values is None else Nominal(pk=self.instance.pk, **values)


class StatusForm(PlainWords, forms.Form):
    """Archive or re-activate: the reason and the date."""

    reason = forms.CharField(widget=text_area(3))
    on = forms.DateField(label="Date", widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Give the reason.")
        return reason

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(NOT_IN_FUTURE)
        return on
