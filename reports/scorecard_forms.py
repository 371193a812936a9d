"""The form of the scorecard's weights: one whole number (0–100) per measure."""

from django import forms

from .models import ScorecardMeasure
from .scorecard import scorecard_weights


class ScorecardWeightsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = scorecard_weights()
        for code, label in ScorecardMeasure.choices:
            self.fields[code] = forms.IntegerField(
                label=label, min_value=0, max_value=100, initial=current[code]
            )
