from datetime import date

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


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
