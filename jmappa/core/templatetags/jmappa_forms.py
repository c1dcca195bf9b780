from django import forms, template

register = template.Library()


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.simple_tag
def field_described_by(field) -> str:
    """The ids of the field's hint and errors, for aria-describedby."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    described += [f"{field.auto_id}_error_{i}" for i in range(1, len(field.errors) + 1)]
    return " ".join(described)


def _css(widget, invalid: bool) -> str:
    """The GOV.UK Frontend class of a widget (its error modifier when the value is refused)."""
    if isinstance(widget, forms.RadioSelect):
        return "govuk-radios__input"
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "govuk-checkboxes__input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        base = "govuk-select"
    elif isinstance(widget, forms.Textarea):
        base = "govuk-textarea"
    elif isinstance(widget, forms.FileInput):
        base = "govuk-file-upload"
    else:
        base = "govuk-input"
    return f"{base} {base}--error" if invalid else base


@register.simple_tag
def field_widget(field):
    """The field's widget with GOV.UK Frontend classes and the ARIA links to its help and
    errors (on the fieldset instead, for a field drawn as one)."""
    widget = field.field.widget
    attrs = {}
    if not isinstance(widget, forms.MultiWidget):
        extra = widget.attrs.get("class", "")
        attrs["class"] = f"{_css(widget, bool(field.errors))} {extra}".strip()
    if not field.use_fieldset:
        described = field_described_by(field)
        if described:
            attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
