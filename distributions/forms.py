from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.params import parse_ids

from .models import Delivery, Distribution

QUARTERS = [
    (1, _("First quarter")),
    (2, _("Second quarter")),
    (3, _("Third quarter")),
    (4, _("Fourth quarter")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DistributionForm(forms.ModelForm):
    class Meta:
        model = Distribution
        fields = [
            "kind",
            "title",
            "issue_number",
            "issued_on",
            "year",
            "unit",
            "audience",
            "min_age",
            "branch",
            "cost",
            "copies",
            "notes",
        ]
        widgets = {"issued_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    overspend_reason = forms.CharField(
        label=_("reason for overspending"),
        required=False,
        max_length=500,
        help_text=_("Bureau staff only: why the subscription may go over the budget line."),
    )

    def __init__(self, *args, units, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["branch"].queryset = branches
        # The explicit list is kept in administration, where cadres are searched by name.
        self.fields["audience"].choices = [
            choice
            for choice in self.fields["audience"].choices
            if choice[0] != Distribution.Audience.LIST
            or (self.instance.pk and self.instance.audience == Distribution.Audience.LIST)
        ]

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {**fields, "overspend_reason": self.cleaned_data["overspend_reason"]}


class CadreIdsField(forms.Field):
    """The ids of the ticked checkboxes. The audience is large (every cadre on the
    register), so the ids are not offered as choices: the service ticks only those of
    the audience whom the user may see."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        ids = parse_ids(value or [])
        if value and not ids:
            raise forms.ValidationError(_("Tick at least one cadre."))
        return ids


class DeliveryFields(forms.Form):
    way = forms.ChoiceField(label=_("way of delivery"), choices=Delivery.Way.choices)
    delivered_on = forms.DateField(label=_("delivered on"), widget=DateInput())
    notes = forms.CharField(label=_("notes"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("delivered_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class CadresDeliveryForm(DeliveryFields):
    """Ticked one by one (the homebound brought their copy at home, 送学上门)."""

    cadres = CadreIdsField(
        label=_("cadres"), error_messages={"required": _("Tick at least one cadre.")}
    )


class BranchDeliveryForm(DeliveryFields):
    """Every current member of a branch at once."""

    branch = forms.ModelChoiceField(label=_("branch"), queryset=None)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class MeetingDeliveryForm(forms.Form):
    """Those who attended a branch meeting (三会一课) or an activity, on its day."""

    meeting = forms.ModelChoiceField(label=_("branch meeting"), queryset=None, required=False)
    activity = forms.ModelChoiceField(label=_("activity"), queryset=None, required=False)
    notes = forms.CharField(label=_("notes"), max_length=200, required=False)

    def __init__(self, *args, meetings, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["activity"].queryset = activities

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("meeting")) == bool(cleaned.get("activity")):
            raise forms.ValidationError(_("Choose either a branch meeting or an activity."))
        return cleaned


class ListFilterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("All kinds")), *Distribution.Kind.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("issuing unit"), queryset=None, required=False, empty_label=_("All units")
    )
    q = forms.CharField(label=_("search"), required=False, max_length=100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CoverageFilterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("quarter"),
        coerce=int,
        choices=[("", _("Whole year")), *QUARTERS],
        required=False,
        empty_value=None,
    )
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=None, required=False, empty_label=_("All units")
    )
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("All kinds")), *Distribution.Kind.choices]
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
