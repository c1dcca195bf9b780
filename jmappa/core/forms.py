from django.forms.renderers import TemplatesSetting


class AccessibleFormRenderer(TemplatesSetting):
    """Renders every form with the project's accessible pattern (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
