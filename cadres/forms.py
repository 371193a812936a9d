from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User

from .age_bands import AgeBand
from .models import (
    CadreStatus,
    CareNeed,
    Hardship,
    Health,
    LivingSituation,
    RetirementKind,
    Visit,
    VisitOccasion,
)
from .selectors import SORTS, PartyBranch


def _blank(choices):
    return [("", _("All")), *choices]


class CadreFilterForm(forms.Form):
    """The registry list's search box and filters (all optional)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, pinyin initials (zs), pinyin, last digits of ID")}
        ),
    )
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    branch = forms.ModelChoiceField(
        label=_("branch"),
        queryset=PartyBranch.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    retirement_kind = forms.ChoiceField(
        label=_("retirement kind"), choices=_blank(RetirementKind.choices), required=False
    )
    age_band = forms.ChoiceField(
        label=_("age band"), choices=_blank(AgeBand.choices), required=False
    )
    health = forms.ChoiceField(label=_("health"), choices=_blank(Health.choices), required=False)
    living_situation = forms.ChoiceField(
        label=_("living situation"), choices=_blank(LivingSituation.choices), required=False
    )
    hardship = forms.ChoiceField(
        label=_("hardship"), choices=_blank(Hardship.choices), required=False
    )
    party_member = forms.ChoiceField(
        label=_("CPC member"),
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("status"),
        choices=[*CadreStatus.choices, ("all", _("All"))],
        required=False,
        initial=CadreStatus.ON_REGISTER,
    )
    liaison = forms.ModelChoiceField(
        label=_("liaison"), queryset=User.objects.none(), required=False, empty_label=_("All")
    )
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)

    def __init__(self, *args, units, branches, liaisons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["branch"].queryset = branches
        self.fields["liaison"].queryset = liaisons


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VisitForm(forms.ModelForm):
    """Record a visit. The cadre is chosen with the search-as-you-type picker (or fixed
    when recording from the cadre's page); only the user's own cadres are accepted."""

    class Meta:
        model = Visit
        fields = [
            "cadre",
            "occasion",
            "status",
            "visited_on",
            "due_on",
            "mode",
            "visitors",
            "leaders",
            "condolence_money",
            "gifts",
            "notes",
            "follow_up_needed",
            "follow_up_by",
        ]
        widgets = {
            "cadre": forms.HiddenInput,
            "visited_on": DateInput,
            "due_on": DateInput,
            "follow_up_by": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "visitors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cadres, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres
        self.fields["cadre"].error_messages["invalid_choice"] = _(
            "Choose a cadre of your own units with the search box."
        )
        self.fields["occasion"].queryset = VisitOccasion.objects.filter(is_active=True)
        self.fields["visitors"].queryset = staff
        self.fields["visitors"].required = False


class DeathForm(forms.Form):
    died_on = forms.DateField(label=_("date of death"), widget=DateInput)

    def clean_died_on(self):
        value = self.cleaned_data["died_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return value


class TransferForm(forms.Form):
    transferred_on = forms.DateField(label=_("date transferred out"), widget=DateInput)
    transferred_to = forms.CharField(label=_("transferred to"), max_length=100)


class VisitFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    occasion = forms.ModelChoiceField(
        label=_("occasion"),
        queryset=VisitOccasion.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("status"), choices=_blank(Visit.Status.choices), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    visitor = forms.ModelChoiceField(
        label=_("visiting staff"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, units, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["visitor"].queryset = staff


class CareNeedForm(forms.ModelForm):
    class Meta:
        model = CareNeed
        fields = ["cadre", "raised_on", "channel", "category", "description", "due_on", "assignee"]
        widgets = {
            "cadre": forms.HiddenInput,
            "raised_on": DateInput,
            "due_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, cadres, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres
        self.fields["cadre"].error_messages["invalid_choice"] = _(
            "Choose a cadre of your own units with the search box."
        )
        self.fields["assignee"].queryset = staff


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("assigned to"), queryset=User.objects.none())

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("resolution and reply"), widget=forms.Textarea(attrs={"rows": 4})
    )
    resolved_on = forms.DateField(label=_("resolved on"), widget=DateInput)
