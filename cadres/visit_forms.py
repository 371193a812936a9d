"""Forms of visits as work items: completing a planned visit (the form that records a
visit, without the choice of cadre and occasion), correcting a visit, rescheduling and
cancelling a planned one, and the filters of the to-do list (待办走访)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .forms import DateInput, VisitForm, staff_choices
from .models import Visit, VisitOccasion

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
