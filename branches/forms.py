from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from cadres.form_fields import DateInput, staff_choices
from cadres.models import Cadre

from .models import BranchAide, BranchMeeting, PartyBranch


class BranchFilterForm(forms.Form):
    """The branch list's search box and filters (all optional)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Part of the branch name")}),
    )
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("All")), *PartyBranch.Kind.choices], required=False
    )
    due = forms.BooleanField(label=_("Re-election due only"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class BranchMeetingForm(forms.ModelForm):
    """A meeting and its attendance: the branch's members as a list to tick."""

    attendees = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=Cadre.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = BranchMeeting
        fields = ["kind", "held_on", "topic", "place", "speaker", "notes"]
        widgets = {
            "held_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members
        self.fields["attendees"].error_messages["invalid_choice"] = _(
            "Only current members of the branch can be ticked as present."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["attendees"] = [cadre.pk for cadre in self.instance.attendees.all()]

    def meeting_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class BranchAideForm(forms.ModelForm):
    """Assign a serving staff member to help the branch (在职干部协助)."""

    class Meta:
        model = BranchAide
        fields = ["user", "started_on", "note"]
        widgets = {"started_on": DateInput}

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        staff_choices(self.fields["user"], staff)
        self.fields["user"].error_messages["invalid_choice"] = _(
            "Choose a serving staff member of your own units."
        )


class BranchAideEndForm(forms.Form):
    ended_on = forms.DateField(label=_("until"), widget=DateInput)
