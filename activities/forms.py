from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from cadres.form_fields import DateInput
from cadres.models import Cadre

from .models import Activity, Attendance, Honour, Suggestion, Team, TeamMembership
from .selectors import RecipientKind

PICK_A_CADRE = _("Choose a cadre of your own units with the search box.")


# A large tick box: it is ticked at the door, often on a phone.
ATTENDED_ATTRS = {"class": "form-check-input attended-input", "style": "width:1.6rem;height:1.6rem"}


def _blank(choices):
    return [("", _("All")), *choices]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _hours_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("volunteer hours"),
        required=False,
        min_value=0,
        max_value=24,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"step": "0.5", "min": "0", "max": "24", "class": "form-control hours-input"}
        ),
        **kwargs,
    )


def _picked_cadre_field(field: forms.ModelChoiceField, cadres) -> None:
    field.queryset = cadres
    field.widget = forms.HiddenInput()
    field.error_messages["invalid_choice"] = PICK_A_CADRE
    field.error_messages["required"] = PICK_A_CADRE


# Activities ------------------------------------------------------------------------------


class ActivityFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Words in the title")}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    kind = forms.ChoiceField(label=_("kind"), choices=_blank(Activity.Kind.choices), required=False)
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    team = forms.ModelChoiceField(
        label=_("team"), queryset=Team.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, units, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["team"].queryset = teams


class ActivityForm(forms.ModelForm):
    """Plan or correct an activity; the unit, team and branch offered are the user's."""

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "place",
            "unit",
            "organiser",
            "team",
            "branch",
            "capacity",
            "description",
            "outcome",
        ]
        widgets = {
            "starts_at": DateTimeInput,
            "ends_at": DateTimeInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    # Before 1900 or after 2200 a time is a slip of the keyboard; and in year 1, Beijing
    # time is in year 0 in UTC, which Python cannot hold (checking the model's
    # constraints raised OverflowError: 500).
    YEARS = range(1900, 2201)

    def __init__(self, *args, units, teams, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["team"].queryset = teams
        self.fields["branch"].queryset = branches

    def _clean_time(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and value.year not in self.YEARS:
            raise forms.ValidationError(self.fields[name].error_messages["invalid"], code="invalid")
        return value

    def clean_starts_at(self):
        return self._clean_time("starts_at")

    def clean_ends_at(self):
        return self._clean_time("ends_at")


class CheckInForm(forms.Form):
    """Attendance check-in: for each person on the activity's list, whether they came and
    their volunteer hours; plus one more person chosen with the cadre picker.

    The row fields are named after the cadre (``attended-<id>``, ``hours-<id>``), so they
    stay the same however the list grows. Only the rows that were on the submitted page
    (``row``) are saved: someone added meanwhile by a colleague is left alone.

    Only the rows of cadres in ``editable`` (the editor's own cadres) get fields; an
    activity may list other units' cadres, whose rows are shown read-only and whose
    posted values are ignored (``activity_attendance_record`` refuses them as well).
    """

    cadre = forms.ModelChoiceField(label=_("cadre"), queryset=Cadre.objects.none(), required=False)
    new_attended = forms.BooleanField(
        label=_("attended"),
        required=False,
        widget=forms.CheckboxInput(attrs=ATTENDED_ATTRS),
    )
    new_hours = _hours_field()

    def __init__(
        self, *args, attendances: list[Attendance], editable: set[int], cadres, activity, **kwargs
    ):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.attendances = attendances
        self.editable = editable
        _picked_cadre_field(self.fields["cadre"], cadres)
        self.fields["cadre"].required = False
        self.fields["new_attended"].widget.attrs["id"] = "new-attended"
        self.fields["new_hours"].widget.attrs["id"] = "new-hours"
        for attendance in self._editable_rows():
            attended = attendance.status == Attendance.Status.ATTENDED
            self.fields[f"attended-{attendance.cadre_id}"] = forms.BooleanField(
                label=_("attended"),
                required=False,
                initial=attended,
                widget=forms.CheckboxInput(attrs=ATTENDED_ATTRS),
            )
            self.fields[f"hours-{attendance.cadre_id}"] = _hours_field(
                initial=attendance.volunteer_hours or None
            )

    def _editable_rows(self) -> list[Attendance]:
        return [row for row in self.attendances if row.cadre_id in self.editable]

    @property
    def rows(self):
        """(attendance, attended field, hours field) for the template; the fields are
        ``None`` on a read-only row (another unit's cadre)."""
        return [
            (
                attendance,
                self[f"attended-{attendance.cadre_id}"],
                self[f"hours-{attendance.cadre_id}"],
            )
            if attendance.cadre_id in self.editable
            else (attendance, None, None)
            for attendance in self.attendances
        ]

    def _check_hours(self, attended_name: str, hours_name: str) -> Decimal:
        hours = self.cleaned_data.get(hours_name)
        if hours and not self.cleaned_data.get(attended_name):
            self.add_error(hours_name, _("Only someone who attended has volunteer hours."))
        return hours or Decimal(0)

    def clean(self):
        cleaned = super().clean()
        submitted = set(self.data.getlist("row")) if hasattr(self.data, "getlist") else set()
        rows = []
        for attendance in self._editable_rows():
            if str(attendance.cadre_id) not in submitted:
                continue
            attended_name = f"attended-{attendance.cadre_id}"
            hours = self._check_hours(attended_name, f"hours-{attendance.cadre_id}")
            rows.append(
                {
                    "cadre": attendance.cadre,
                    "attended": bool(cleaned.get(attended_name)),
                    "volunteer_hours": hours,
                }
            )
        newcomer = cleaned.get("cadre")
        if newcomer is not None:
            if self.activity.attendances.filter(cadre=newcomer).exists():
                self.add_error("cadre", _("This cadre is already on the activity's list."))
            hours = self._check_hours("new_attended", "new_hours")
            rows.append(
                {
                    "cadre": newcomer,
                    "attended": bool(cleaned.get("new_attended")),
                    "volunteer_hours": hours,
                }
            )
        elif cleaned.get("new_attended") or cleaned.get("new_hours"):
            self.add_error("cadre", PICK_A_CADRE)
        cleaned["rows"] = rows
        return cleaned


# Teams -----------------------------------------------------------------------------------


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=_blank(Team.Kind.choices), required=False)
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    include_inactive = forms.BooleanField(label=_("Include inactive teams"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MembershipForm(forms.ModelForm):
    """Add a cadre to a team, chosen with the cadre picker."""

    class Meta:
        model = TeamMembership
        fields = ["cadre", "is_leader", "joined_on"]
        widgets = {"joined_on": DateInput}

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        _picked_cadre_field(self.fields["cadre"], cadres)


# Honours ---------------------------------------------------------------------------------

RECIPIENT_CHOICES = [
    (RecipientKind.CADRE, _("Individual (cadre)")),
    (RecipientKind.BRANCH, _("Collective: party branch")),
    (RecipientKind.TEAM, _("Collective: team")),
]


class HonourFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False, empty_value=None)
    recipient = forms.ChoiceField(
        label=_("recipient"), choices=_blank(RECIPIENT_CHOICES), required=False
    )
    level = forms.ChoiceField(
        label=_("level"), choices=_blank(Honour.Level.choices), required=False
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _blank([(year, year) for year in years])


class HonourForm(forms.ModelForm):
    """Record an honour for exactly one recipient: a cadre (chosen with the picker), a
    branch or a team; the fields of the other kinds are ignored."""

    recipient_kind = forms.ChoiceField(
        label=_("awarded to"),
        choices=RECIPIENT_CHOICES,
        initial=RecipientKind.CADRE,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Honour
        fields = ["title", "level", "year", "awarded_by", "cadre", "branch", "team", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, cadres, branches, teams, **kwargs):
        super().__init__(*args, **kwargs)
        _picked_cadre_field(self.fields["cadre"], cadres)
        self.fields["branch"].queryset = branches
        self.fields["team"].queryset = teams
        for name in RecipientKind.values:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("recipient_kind")
        if kind not in RecipientKind.values:
            return cleaned
        for name in RecipientKind.values:
            if name != kind:
                cleaned[name] = None
        if cleaned.get(kind) is None and kind not in self.errors:
            message = {
                RecipientKind.CADRE: PICK_A_CADRE,
                RecipientKind.BRANCH: _("Choose the branch."),
                RecipientKind.TEAM: _("Choose the team."),
            }[kind]
            self.add_error(kind, message)
        return cleaned


# Suggestions -----------------------------------------------------------------------------


class SuggestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("category"), choices=_blank(Suggestion.Category.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("status"), choices=_blank(Suggestion.Status.choices), required=False
    )


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = ["cadre", "submitted_on", "category", "title", "text", "activity"]
        widgets = {"submitted_on": DateInput, "text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, cadres, activities, **kwargs):
        super().__init__(*args, **kwargs)
        _picked_cadre_field(self.fields["cadre"], cadres)
        self.fields["activity"].queryset = activities


class SuggestionAnswerForm(forms.ModelForm):
    """Move a suggestion on: forwarded to leadership or a department, then answered."""

    class Meta:
        model = Suggestion
        fields = ["status", "forwarded_to", "forwarded_on", "response"]
        widgets = {"forwarded_on": DateInput, "response": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == Suggestion.Status.FORWARDED and not cleaned.get("forwarded_to"):
            self.add_error("forwarded_to", _("Say to whom the suggestion was forwarded."))
        if status == Suggestion.Status.ANSWERED and not cleaned.get("response"):
            self.add_error("response", _("Record the response to the suggestion."))
        return cleaned
