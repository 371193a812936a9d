"""The forms of the three export pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from cadres.filter_forms import VisitFilterForm
from cadres.form_fields import DateInput


def _check_range(form: forms.Form) -> None:
    date_from = form.cleaned_data.get("date_from")
    date_to = form.cleaned_data.get("date_to")
    if date_from and date_to and date_from > date_to:
        form.add_error("date_to", _("The end of the period is before its start."))


class LedgerColumnsForm(forms.Form):
    """Which columns of the cadre ledger go into the file."""

    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose at least one column.")},
    )

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["columns"]
        field.choices = [
            (column.key, f"{column.header} *" if column.required else column.header)
            for column in columns
        ]
        field.initial = [column.key for column in columns if column.default]


class VisitExportForm(VisitFilterForm):
    """The visits list's filters, with the period required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_from"].required = True
        self.fields["date_to"].required = True

    def clean(self):
        cleaned = super().clean()
        _check_range(self)
        return cleaned


class AttendanceExportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DateInput)
    date_to = forms.DateField(label=_("To"), widget=DateInput)
    activity = forms.ModelChoiceField(
        label=_("activity"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("All"),
        help_text=_("Activities starting within the period; leave at All for every one."),
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities

    def clean(self):
        cleaned = super().clean()
        _check_range(self)
        return cleaned
