from django import forms
from django.utils.translation import gettext_lazy as _


class YearForm(forms.Form):
    """The year a statistical report is for."""

    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
