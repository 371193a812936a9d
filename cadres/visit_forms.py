"""Forms of visits: recording a visit (the cadre chosen with the picker, 思想动态 offered
only to those who may read it), and visits as work items: completing a planned visit (the
form that records a visit, without the choice of cadre and occasion), correcting a visit,
rescheduling and cancelling a planned one, and the filters of the to-do list (待办走访)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.scoping import can_read_thoughts, may_write_any_thoughts

from .form_fields import DateInput, staff_choices
from .models import Visit, VisitOccasion


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
            "gifts_value",
            "gifts",
            "notes",
            "heart_to_heart",
            "thoughts",
            "follow_up_needed",
            "follow_up_by",
        ]
        widgets = {
            "cadre": forms.HiddenInput,
            "thoughts": forms.Textarea(attrs={"rows": 3}),
            "visited_on": DateInput,
            "due_on": DateInput,
            "follow_up_by": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "visitors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cadres, staff, thoughts_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # 思想动态 is offered only to those who may read it (accounts.scoping).
        self.thoughts_user = thoughts_user
        if "thoughts" in self.fields:
            if self._offers_thoughts():
                self.fields["thoughts"].help_text = _(
                    "Read only by bureau staff and the cadre's liaison."
                )
            else:
                del self.fields["thoughts"]
        # Completing or editing a visit (visit_forms.py) uses a part of these fields.
        if "cadre" in self.fields:
            self.fields["cadre"].queryset = cadres
            self.fields["cadre"].error_messages["invalid_choice"] = _(
                "Choose a cadre of your own units with the search box."
            )
        if "occasion" in self.fields:
            self.fields["occasion"].queryset = VisitOccasion.objects.filter(is_active=True)
        if "visitors" in self.fields:
            staff_choices(self.fields["visitors"], staff)
            self.fields["visitors"].required = False
        # The value of the gifts (慰问经费, with the money): left empty, it is none.
        if "gifts_value" in self.fields:
            self.fields["gifts_value"].required = False

    def clean_gifts_value(self):
        value = self.cleaned_data.get("gifts_value")
        return Decimal("0") if value is None else value

    def _offers_thoughts(self) -> bool:
        user = self.thoughts_user
        if user is None:
            return False
        if self.instance.cadre_id:
            return can_read_thoughts(user=user, cadre=self.instance.cadre)
        return may_write_any_thoughts(user=user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("thoughts"):
            cadre = cleaned.get("cadre")
            if cadre is None and self.instance.cadre_id:
                cadre = self.instance.cadre
            if cadre is not None and not can_read_thoughts(user=self.thoughts_user, cadre=cadre):
                self.add_error(
                    "thoughts", _("Only bureau staff and the cadre's liaison write this note.")
                )
            if "heart_to_heart" in self.fields and not cleaned.get("heart_to_heart"):
                self.add_error(
                    "heart_to_heart",
                    _("Tick heart-to-heart talk to keep a note of the cadre's thinking."),
                )
        return cleaned


# What recording a visit asks, once it has happened.
DONE_FIELDS = [
    "visited_on",
    "mode",
    "visitors",
    "leaders",
    "condolence_money",
    "gifts_value",
    "gifts",
    "notes",
    "heart_to_heart",
    "thoughts",
    "follow_up_needed",
    "follow_up_by",
]
EDITABLE_FIELDS = {
    Visit.Status.PLANNED: [
        "occasion",
        "due_on",
        "mode",
        "visitors",
        "leaders",
        "condolence_money",
        "gifts_value",
        "gifts",
        "notes",
        "heart_to_heart",
    ],
    Visit.Status.DONE: ["occasion", *DONE_FIELDS],
    Visit.Status.CANCELLED: ["cancellation_reason", "notes"],
}
# Short enough to be kept whole in the visit's history.
RESCHEDULE_REASON_LENGTH = 60


class VisitCompleteForm(VisitForm):
    """Complete a planned visit: the fields of the visit form that say how it went."""

    class Meta(VisitForm.Meta):
        fields = DONE_FIELDS

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, cadres=None, staff=staff, **kwargs)
        self.fields["visited_on"].required = True


class VisitEditForm(VisitForm):
    """Correct a visit's record: the fields that fit its status (a status changes by
    completing or cancelling the visit, not here)."""

    class Meta(VisitForm.Meta):
        fields = [*EDITABLE_FIELDS[Visit.Status.DONE], "due_on", "cancellation_reason"]
        widgets = {
            **VisitForm.Meta.widgets,
            "cancellation_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, cadres=None, staff=staff, **kwargs)
        keep = EDITABLE_FIELDS[self.instance.status]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "visited_on" in self.fields:
            self.fields["visited_on"].required = True
        if "due_on" in self.fields:
            self.fields["due_on"].required = True
        if "cancellation_reason" in self.fields:
            self.fields["cancellation_reason"].required = True


class VisitRescheduleForm(forms.Form):
    due_on = forms.DateField(label=_("new due date"), widget=DateInput)
    reason = forms.CharField(
        label=_("reason for the new date"),
        max_length=RESCHEDULE_REASON_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class VisitCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VisitTodoFilterForm(forms.Form):
    """The filters of the to-do list (all optional)."""

    when = forms.ChoiceField(
        label=_("when due"),
        choices=[
            ("", _("Overdue or due within a week")),
            ("overdue", _("Overdue")),
            ("today", _("Due today")),
            ("all", _("All planned visits")),
        ],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            ("", _("All")),
            ("planned", _("Planned visits")),
            ("follow_up", _("Follow-ups")),
            ("return_visit", _("Return visits")),
        ],
        required=False,
    )
    occasion = forms.ModelChoiceField(
        label=_("occasion"),
        queryset=VisitOccasion.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    liaison = forms.ModelChoiceField(
        label=_("liaison"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    mine = forms.BooleanField(label=_("Only the cadres I am liaison of"), required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        staff_choices(self.fields["liaison"], staff)
