from django import forms
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
