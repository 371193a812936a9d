"""Form fields and widgets of the registry, used by the forms of every app: the date
input, staff offered in the pinyin order of their names, and the select and choice field
for lists that run to thousands of choices (a large bureau's units and party branches)."""

import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .pinyin import pinyin_sort_key


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LongSelect(forms.Select):
    """A select that writes its options directly, where Django's renders a template for
    each option: for lists that run to thousands of choices (a large bureau's party
    branches), and for the filters a list page draws on every request."""

    def render(self, name, value, attrs=None, renderer=None):
        # The choices are read straight, not through get_context(): that builds a dict
        # of a dozen keys for each of thousands of options.
        final_attrs = self.build_attrs(self.attrs, attrs)
        if "id" not in final_attrs and attrs and attrs.get("id"):
            final_attrs["id"] = attrs["id"]
        values = value if isinstance(value, (list, tuple)) else [value]
        chosen = {"" if v is None else str(v) for v in values}
        parts = [format_html('<select name="{}"{}>', name, flatatt(final_attrs))]

        def option(option_value, label):
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            return f'<option value="{_escaped(text)}"{selected}>{_escaped(label)}</option>'

        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', group_value))
                parts.extend(option(v, label) for v, label in group_label)
                parts.append("</optgroup>")
            else:
                parts.append(option(group_value, group_label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # every part is escaped above


class NameChoiceIterator(ModelChoiceIterator):
    """Choices read as (pk, name) rows rather than as a model instance each (or the
    field's ``offered`` rows, when it offers fewer than it accepts)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        offered = getattr(self.field, "offered", None)
        yield from offered if offered is not None else self.queryset.values_list("pk", "name")


class PinyinOrderIterator(ModelChoiceIterator):
    """Staff in the pinyin order of their names (程 after every 陈), as cadres are listed:
    sorted here, as a unit's staff are a few dozen and logins keep no pinyin."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for user in sorted(self.queryset, key=lambda user: pinyin_sort_key(str(user))):
            yield self.choice(user)


def staff_choices(field: forms.ModelChoiceField, staff) -> None:
    """Offer ``staff`` in ``field`` in pinyin order."""
    field.queryset = staff
    field.iterator = PinyinOrderIterator


class NameChoiceField(forms.ModelChoiceField):
    """A choice of records shown by their name (``__str__`` is the name), for lists of
    thousands such as a large bureau's party branches."""

    iterator = NameChoiceIterator
    widget = LongSelect


def _escaped(value) -> str:
    """What ``{{ value }}`` writes: safe strings as they are, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
