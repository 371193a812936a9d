"""Forms of care needs (来信来访): raising a need for a cadre, assigning it to a member of
staff, and resolving it with the reply (and the return visit it may call for)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .form_fields import DateInput, staff_choices
from .models import CareNeed


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
        staff_choices(self.fields["assignee"], staff)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("assigned to"), queryset=User.objects.none())

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        staff_choices(self.fields["assignee"], staff)


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("resolution and reply"), widget=forms.Textarea(attrs={"rows": 4})
    )
    resolved_on = forms.DateField(label=_("resolved on"), widget=DateInput)
    return_visit_on = forms.DateField(
        label=_("return visit by"),
        required=False,
        widget=DateInput,
        help_text=_(
            "If the reply calls for a return visit (回访), give its date: the visit is "
            "planned and reminded."
        ),
    )
