"""Forms of the 特困帮扶 pages: each collects one step's fields; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.params import parse_search

from .models import AssistanceCase, Category, PaymentMethod, Status
from .services import DOCUMENT_SUFFIXES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def money_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )


class CaseForm(forms.ModelForm):
    """Open a case (the cadre chosen with the picker) or change a draft."""

    amount_requested = money_field(_("amount requested (yuan)"))

    class Meta:
        model = AssistanceCase
        fields = ["cadre", "category", "circumstances", "amount_requested"]
        widgets = {
            "cadre": forms.HiddenInput,
            "circumstances": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, cadres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cadres is None:
            del self.fields["cadre"]
        else:
            self.fields["cadre"].queryset = cadres
            self.fields["cadre"].error_messages["invalid_choice"] = _(
                "Choose a cadre of your own units with the search box."
            )


class ReviewForm(forms.Form):
    review_opinion = forms.CharField(
        label=_("the unit's opinion"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Whether the unit supports the application, and why."),
    )


class DecisionForm(forms.Form):
    APPROVE = "approve"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    amount_approved = money_field(_("amount approved (yuan)"))
    note = forms.CharField(
        label=_("the bureau's note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    refusal_reason = forms.CharField(
        label=_("reason for refusal"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount_approved"].required = False

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.APPROVE and not cleaned.get("amount_approved"):
            self.add_error("amount_approved", _("Enter the amount approved."))
        if decision == self.REFUSE and not (cleaned.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("Give the reason for refusing."))
        return cleaned


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput)
    amount_paid = money_field(_("amount paid (yuan)"))
    payment_method = forms.ChoiceField(label=_("payment method"), choices=PaymentMethod.choices)
    overspend_reason = forms.CharField(
        label=_("reason for overspending"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the payment goes past the unit's assistance budget."),
    )

    def __init__(self, *args, case: AssistanceCase, **kwargs):
        kwargs.setdefault(
            "initial",
            {"paid_on": timezone.localdate(), "amount_paid": case.amount_approved},
        )
        super().__init__(*args, **kwargs)


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, image, Word or Excel; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(DOCUMENT_SUFFIXES))}),
    )
    description = forms.CharField(label=_("description"), max_length=200, required=False)


class CaseFilterForm(forms.Form):
    """The list's filters; bad values count as absent (never a 500)."""

    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    category = forms.ChoiceField(
        label=_("category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    unit = forms.TypedChoiceField(label=_("unit"), required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=_("year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, units, years):
        super().__init__(data)
        self.fields["unit"].choices = [("", _("All"))] + [(u.pk, u.name) for u in units]
        self.fields["year"].choices = [("", _("All"))] + [(y, str(y)) for y in years]

    def values(self) -> dict:
        if not self.is_valid():
            return {"status": "", "category": "", "unit_id": None, "year": None, "search": ""}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "category": data["category"],
            "unit_id": data["unit"],
            "year": data["year"],
            "search": parse_search(data["q"]),
        }


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("year"), coerce=int)

    def __init__(self, data, *, years):
        super().__init__(data)
        self.fields["year"].choices = [(y, str(y)) for y in years]
