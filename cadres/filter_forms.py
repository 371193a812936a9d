"""The search and filter forms of the list pages: the registry's search box and
filters (unit, party branch, community, age band, health, hardship and the rest), and the
visit list's filters (dates, occasion, status, unit, visiting staff, follow-up). The
exports use them too."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User

from .age_bands import AgeBand
from .form_fields import DateInput, LongSelect, NameChoiceField, staff_choices
from .models import (
    CadreStatus,
    Hardship,
    Health,
    LivingSituation,
    RetirementKind,
    Visit,
    VisitOccasion,
)
from .pinyin import pinyin_sort_key
from .selectors import SORTS, PartyBranch

# Above this many party branches in the user's scope (a province has thousands), the
# branch filter lists the branches of the unit chosen rather than all of them.
BRANCH_CHOICES_MAX = 300


def _blank(choices):
    return [("", _("All")), *choices]


class CadreFilterForm(forms.Form):
    """The registry list's search box and filters (all optional)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Name, pinyin initials (zs), pinyin, community, last digits of ID")
            }
        ),
    )
    unit = forms.ModelChoiceField(
        label=_("unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=LongSelect,
    )
    branch = NameChoiceField(
        label=_("branch"),
        queryset=PartyBranch.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    # 居住社区 (四就近): the communities the user's cadres live in.
    community = forms.ChoiceField(
        label=_("residential community"), choices=[], required=False, widget=LongSelect
    )
    retirement_kind = forms.ChoiceField(
        label=_("retirement kind"),
        choices=_blank(RetirementKind.choices),
        required=False,
        widget=LongSelect,
    )
    age_band = forms.ChoiceField(
        label=_("age band"), choices=_blank(AgeBand.choices), required=False, widget=LongSelect
    )
    health = forms.ChoiceField(
        label=_("health"), choices=_blank(Health.choices), required=False, widget=LongSelect
    )
    living_situation = forms.ChoiceField(
        label=_("living situation"),
        choices=_blank(LivingSituation.choices),
        required=False,
        widget=LongSelect,
    )
    hardship = forms.ChoiceField(
        label=_("hardship"), choices=_blank(Hardship.choices), required=False, widget=LongSelect
    )
    party_member = forms.ChoiceField(
        label=_("CPC member"),
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
        widget=LongSelect,
    )
    status = forms.ChoiceField(
        label=_("status"),
        choices=[*CadreStatus.choices, ("all", _("All"))],
        required=False,
        initial=CadreStatus.ON_REGISTER,
        widget=LongSelect,
    )
    liaison = forms.ModelChoiceField(
        label=_("liaison"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=LongSelect,
    )
    sort = forms.ChoiceField(
        choices=[(key, key) for key in SORTS], required=False, widget=LongSelect
    )

    def __init__(self, *args, units, branches, liaisons, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["branch"].queryset = branches
        self._offer_branches(branches)
        staff_choices(self.fields["liaison"], liaisons)
        # Read once, in pinyin order, for both the choices shown and the check.
        self.fields["community"].choices = [
            ("", _("All")),
            *((name, name) for name in sorted(communities, key=pinyin_sort_key)),
        ]

    def _offer_branches(self, branches) -> None:
        """All the scope's branches if they are a few hundred at most; else those of
        the unit chosen (and the branch chosen, if any), with a word on how to list
        them. Any branch of the scope is still accepted (a link from a branch page)."""
        field = self.fields["branch"]
        rows = list(branches.values_list("pk", "name")[: BRANCH_CHOICES_MAX + 1])
        if len(rows) <= BRANCH_CHOICES_MAX:
            field.offered = rows
            return
        unit, chosen = (str(self.data.get(key) or "") for key in ("unit", "branch"))
        narrowed = branches.filter(unit_id=unit) if unit.isdigit() else branches.none()
        if chosen.isdigit():
            narrowed = narrowed | branches.filter(pk=chosen)
        field.offered = list(narrowed.values_list("pk", "name"))
        field.help_text = _("Choose a unit and search to list its branches.")


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
    follow_up = forms.ChoiceField(
        label=_("follow-up"),
        choices=[
            ("", _("All")),
            ("pending", _("Follow-up pending")),
            ("overdue", _("Follow-up overdue")),
        ],
        required=False,
    )

    def __init__(self, *args, units, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        staff_choices(self.fields["visitor"], staff)
