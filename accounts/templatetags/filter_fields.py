"""``{% filter_field form.x %}``: a list page's filter, drawn as Bootstrap's label and
control directly. A registry page draws a dozen filters on every request; through the
crispy-forms field template each costs more than a table row, and the edit forms (drawn
once per edit) keep that template."""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def filter_field(field: forms.BoundField) -> str:
    widget = field.field.widget
    checkbox = isinstance(widget, forms.CheckboxInput)
    if checkbox:
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    extra = widget.attrs.get("class", "")
    control = field.as_widget(attrs={"class": f"{css} {extra}".strip()})
    errors = format_html_join(
        "", '<div class="invalid-feedback">{}</div>', ((error,) for error in field.errors)
    )
    help_text = (
        # The id the control's aria-describedby names.
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    if checkbox:
        return format_html(
            '<div id="div_{}" class="mb-3 form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}{}</div>',
            field.auto_id,
            control,
            field.id_for_label,
            field.label,
            errors,
            help_text,
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        control,
        errors,
        help_text,
    )
