from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User

from .age_bands import AgeBand
from .models import CadreStatus, Hardship, Health, LivingSituation, RetirementKind
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
