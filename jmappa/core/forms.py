"""The form kit every app uses: the accessible renderer, plain-words errors, the
widgets and person pickers, sections, a service's refusal shown beside its field,
and the signed record of what the user opened (for refused stale saves)."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils import dateformat

from jmappa.accounts.models import User
from jmappa.core.validators import TEXT_MAX_LENGTH


class AccessibleFormRenderer(TemplatesSetting):
    """Renders every form with the project's accessible pattern (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class FilterForm(forms.Form):
    """The filters above a list: compact fields, none of them required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.template_name = "forms/filter_field.html"


# -- what the user saw when they opened an edit form -------------------------------------------
# An edit form carries, signed, the values the user opened it with: a save refused because
# someone else saved first can then say what that person changed, and keep what this user
# typed (the cases, plan, referral and minutes edit pages all work this way).


def sign_opened(instance, fields: list[str], salt: str, **extra) -> str:
    """The signed token of `instance`'s `fields` as shown, with `extra` (e.g. child rows)."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = field.value_from_object(instance)
        values[field.attname] = value.isoformat() if isinstance(value, date) else value
    return signing.dumps({"pk": instance.pk, "values": values, **extra}, salt=salt)


def read_opened(text: str | None, salt: str, pk) -> dict | None:
    """The token, if it is good and about the record `pk`; else None."""
    try:
        token = signing.loads(text or "", salt=salt)
    except signing.BadSignature:
        return None
    return token if token.get("pk") == pk else None


def opened_values(model, fields: list[str], token: dict) -> dict | None:
    """The token's field values, by attribute name, as Python values; None if one is bad."""
    values = {}
    for name in fields:
        field = model._meta.get_field(name)
        try:
            values[field.attname] = field.to_python(token["values"].get(field.attname))
        except ValidationError:
            return None
    return values


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show what a service refused beside the field it is about (or above the form). A
    database rule names its field through its `violation_error_code` and speaks through its
    `violation_error_message`, so its message lands beside that field."""
    items = error.error_dict.items() if hasattr(error, "error_dict") else [
        (NON_FIELD_ERRORS, error.error_list)
    ]
    for field, errors in items:
        for each in errors:
            target = field
            if field == NON_FIELD_ERRORS and getattr(each, "code", None) in form.fields:
                target = each.code
            if target not in form.fields:
                target = None
            for message in each.messages:
                form.add_error(target, message)


def _the(label: str) -> str:
    """"the family name"; a label with its own article keeps it ("the recipient's ...")."""
    return label if label.lower().startswith(("the ", "a ", "an ")) else f"the {label}"


class PlainWords:
    """"This field is required" says which field and what to do: "Enter the family name.".
    And no free text longer than TEXT_MAX_LENGTH."""

    def full_clean(self):
        for name, field in self.fields.items():
            # Free text declared on the form itself, as its model field would be: capped.
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
            if field.error_messages.get("required") == forms.Field.default_error_messages[
                "required"
            ]:
                label = str(field.label or name.replace("_", " "))
                if not label[1:2].isupper():
                    label = label[:1].lower() + label[1:]
                choose = isinstance(field, forms.ChoiceField | forms.BooleanField)
                field.error_messages = {
                    **field.error_messages,
                    "required": f"{'Choose' if choose else 'Enter'} {_the(label)}.",
                }
            if isinstance(field, forms.DateField) and field.error_messages.get("invalid") == \
                    forms.DateField.default_error_messages["invalid"]:
                label = str(field.label or name.replace("_", " "))
                if not label[1:2].isupper():
                    label = label[:1].lower() + label[1:]
                field.error_messages = {
                    **field.error_messages,
                    "invalid": f"Enter {_the(label)} as a real date, for example 27 3 2026.",
                }
        super().full_clean()


class DateInput(forms.MultiWidget):
    """Day, month and year in three boxes (the GOV.UK date input): a browser's own date
    picker may show the American order, and people here write day/month/year."""

    template_name = "forms/widgets/date_input.html"
    use_fieldset = True
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput() for part in self.parts}, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            if value.endswith("!"):  # what value_from_datadict made of an unreal date
                year, month, day = value[:-1].split("-", 2)
                return [day, month, year]
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["invalid"] = (attrs or {}).get("aria-invalid") == "true"
        return context

    def value_from_datadict(self, data, files, name):
        # One ISO date under the field's own name (a script, or a link's query) is taken as is.
        if name in data:
            return data.get(name)
        day, month, year = (str(data.get(f"{name}_{part}", "")).strip() for part in self.parts)
        if not (day or month or year):
            return ""
        try:
            return date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            # Not a real date: the field says so, and the three boxes keep what was typed.
            return f"{year}-{month}-{day}!"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in self.parts)


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


YES_NO = forms.RadioSelect(choices=[("True", "Yes"), ("False", "No")])


def active_users():
    return User.objects.filter(is_active=True).select_related("agency") \
        .order_by("last_name", "first_name", "username")


class UserChoiceField(forms.ModelChoiceField):
    """A person, named with their agency; a filter box narrows the list (select_search.js)."""

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs={"data-search": "people"}))
        super().__init__(queryset=queryset if queryset is not None else active_users(),
                         **kwargs)

    def label_from_instance(self, user):
        name = user.get_full_name() or user.username
        return f"{name} ({user.agency})" if user.agency_id else name


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"data-search": "people"}))
        super().__init__(queryset=queryset if queryset is not None else active_users(),
                         **kwargs)

    def label_from_instance(self, user):
        return UserChoiceField.label_from_instance(self, user)


def display_value(model, name: str, value) -> str:
    """A stored value as a person reads it: labels for choices, dates written out."""
    field = model._meta.get_field(name)
    if value is None or value == "":
        return "(blank)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return dateformat.format(value, "j F Y")
    return str(value)


def field_label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


class Fieldsets:
    """Forms long enough to need sections: `fieldsets` is [(legend, note, [names])]."""

    fieldsets: list[tuple[str, str, list[str]]] = []
    wide_widgets = (forms.Textarea, forms.CheckboxInput, forms.SelectMultiple)

    def sections(self):
        for legend, note, names in self.fieldsets:
            fields = []
            for name in names:
                if name in self.fields:
                    bound = self[name]
                    wide = isinstance(bound.field.widget, self.wide_widgets)
                    fields.append((bound, "col-12" if wide else "col-md-6"))
            if fields:
                yield {"legend": legend, "note": note, "fields": fields,
                       "slug": re.sub(r"\W+", "-", legend.lower()).strip("-")}


def put_value(data, field, name: str, value) -> None:
    """Put a stored value into posted form data, as the field's widget would have sent it."""
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif value is None:
        data[name] = ""
    elif isinstance(value, models.Model):
        data[name] = str(value.pk)
    elif isinstance(value, date):
        data[name] = value.isoformat()
    else:
        data[name] = str(value)


STALE_CONFLICT = ("Someone else changed this to “{shown}” while you were editing: check which "
                  "is right, then save again.")


def stale_merge(form: forms.Form, stale, opened, label=None):
    """Someone else saved first (`stale`, a StaleEdit). Nothing is written; the form comes
    back with what they changed: fields this user left alone take the new values, fields
    both changed keep what this user typed and are marked (`mark_conflicts`).

    Returns (data, changes, conflicts): the posted data merged and carrying the stored
    version, [(label, value shown)] to list, and {field: value shown} where both changed.
    `label(name)` names a field; by default the form's label, else the model's."""
    model = type(stale.current)
    data = form.data.copy()
    changes, conflicts = [], {}
    for name, value in stale.changed.items():
        shown = display_value(model, name, value)
        field = form.fields.get(name)
        if label is not None:
            changes.append((label(name), shown))
        else:
            changes.append((field.label if field else field_label(model, name), shown))
        if field is None:
            continue
        if form.cleaned_data.get(name) == getattr(opened, name):
            put_value(data, field, name, value)
        else:
            conflicts[name] = shown
    data["version"] = str(stale.current.version)
    return data, changes, conflicts


def mark_conflicts(form: forms.Form, conflicts: dict[str, str]) -> None:
    for name, shown in conflicts.items():
        form.add_error(name, STALE_CONFLICT.format(shown=shown))
