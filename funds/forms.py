"""Forms of the money: standards, the budget's computation and adjustments, expenses."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from cadres.form_fields import DateInput
from cadres.models import VisitOccasion

from .models import FEN, ExpenseSource, Standard
from .selectors import line_codes

MONEY_ATTRS = {"step": "0.01", "inputmode": "decimal"}


def year_choices(*, today: datetime.date, ahead: int = 1, back: int = 5) -> list[tuple]:
    return [(year, str(year)) for year in range(today.year + ahead, today.year - back - 1, -1)]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("year"), coerce=int, choices=())

    def __init__(self, *args, today: datetime.date, ahead: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(today=today, ahead=ahead)


def read_year(data, *, today: datetime.date, ahead: int = 1) -> tuple[YearForm, int]:
    """The year asked for in ``data`` (this year if none or not offered), and its form."""
    form = YearForm(data or None, today=today, ahead=ahead)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else today.year
    return YearForm({"year": year}, today=today, ahead=ahead), year


class StandardForm(forms.ModelForm):
    class Meta:
        model = Standard
        fields = [
            "occasion",
            "retirement_kind",
            "min_age",
            "max_age",
            "hardship_only",
            "basis",
            "amount",
            "times_per_hundred",
            "note",
        ]
        widgets = {
            "amount": forms.NumberInput(attrs=MONEY_ATTRS),
            "times_per_hundred": forms.NumberInput(attrs={"step": "0.01"}),
        }

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.year = year
        self.fields["occasion"].queryset = VisitOccasion.objects.filter(is_active=True)
        self.fields["retirement_kind"].choices = [("", _("Both 离休 and 退休"))] + [
            choice for choice in self.fields["retirement_kind"].choices if choice[0]
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("basis") == Standard.Basis.PER_HEAD:
            cleaned["times_per_hundred"] = None
            self.instance.times_per_hundred = None
        return cleaned


class CopyStandardsForm(forms.Form):
    from_year = forms.TypedChoiceField(label=_("copy the standards of"), coerce=int, choices=())

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_year"].choices = [(year, str(year)) for year in years]


class ComputeForm(forms.Form):
    register_date = forms.DateField(
        label=_("count the register on"),
        widget=DateInput,
        help_text=_("The cadres on the register on this day are counted, with their ages then."),
    )

    def clean_register_date(self):
        day = self.cleaned_data["register_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The register can only be read on a day that has come."))
        return day


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("change (yuan)"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
        help_text=_("Positive to add to the line, negative to take from it."),
    )
    reason = forms.CharField(
        label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class NewLineForm(AdjustmentForm):
    """A budget for a line the standards do not compute (activities, subscriptions,
    assistance, other spending), or more for any line of a unit."""

    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    code = forms.ChoiceField(label=_("budget line"), choices=())

    field_order = ["unit", "code", "amount", "reason"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["code"].choices = line_codes()
        self.fields["amount"].label = _("amount (yuan)")
        self.fields["amount"].help_text = ""


class ExpenseForm(forms.Form):
    spent_on = forms.DateField(label=_("date"), widget=DateInput)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    line_code = forms.ChoiceField(label=_("budget line"), choices=())
    source = forms.ChoiceField(label=_("source"), choices=ExpenseSource.choices)
    amount = forms.DecimalField(
        label=_("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=FEN,
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
    )
    payee = forms.CharField(label=_("payee"), max_length=100)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    overspend_reason = forms.CharField(
        label=_("reason for overspending"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if this must go over the line's budget; the bureau only."),
    )

    def __init__(self, *args, units, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["line_code"].choices = line_codes()
        if not may_override:
            del self.fields["overspend_reason"]


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for voiding"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExpenseFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    line_code = forms.ChoiceField(label=_("budget line"), choices=(), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["line_code"].choices = [("", _("All")), *line_codes()]
