from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.punctuation import join_list
from cadres.form_fields import DateInput
from cadres.models import Cadre, Visit


class GroupVisitForm(forms.Form):
    """One group event ticking off several cadres of a holiday campaign."""

    cadres = forms.ModelMultipleChoiceField(
        label=_("cadres"), queryset=Cadre.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    visited_on = forms.DateField(label=_("date visited"), widget=DateInput)
    mode = forms.ChoiceField(label=_("mode"), choices=Visit.Mode.choices, initial=Visit.Mode.GROUP)
    leaders = forms.CharField(label=_("leaders taking part"), max_length=200, required=False)
    condolence_money = forms.DecimalField(
        label=_("condolence money (yuan)"), min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    gifts = forms.CharField(label=_("gifts"), max_length=200, required=False)

    def __init__(self, *args, cadres, remaining: set[int], **kwargs):
        """``cadres``: those the user may record visits for; ``remaining``: the ids of
        those still to visit for the campaign's holiday, the only ones that may be
        ticked."""
        super().__init__(*args, **kwargs)
        self.fields["cadres"].queryset = cadres
        self.remaining = remaining

    def clean_cadres(self):
        cadres = self.cleaned_data["cadres"]
        done = [cadre.name for cadre in cadres if cadre.pk not in self.remaining]
        if done:
            raise forms.ValidationError(
                _("Not among those still to visit for this holiday: %(names)s.")
                % {"names": join_list(done)}
            )
        return cadres
