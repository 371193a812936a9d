import html
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from accounts.scoping import can_read_thoughts, may_write_any_thoughts

from . import duplicates
from .age_bands import AgeBand
from .models import (
    Cadre,
    CadreStatus,
    CareNeed,
    FamilyContact,
    Hardship,
    Health,
    LivingSituation,
    RetirementKind,
    Visit,
    VisitOccasion,
)
from .pinyin import pinyin_sort_key
from .selectors import SORTS, PartyBranch


def _blank(choices):
    return [("", _("All")), *choices]


class LongSelect(forms.Select):
    """A select for lists that run to thousands of choices (a large bureau's party
    branches): it writes its options directly, where rendering a template for each
    option would cost more than the rest of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        # The choices are read straight, not through get_context(): that builds a dict
        # of a dozen keys for each of thousands of options.
        final_attrs = self.build_attrs(self.attrs, attrs)
        if "id" not in final_attrs and attrs and attrs.get("id"):
            final_attrs["id"] = attrs["id"]
        values = value if isinstance(value, (list, tuple)) else [value]
        chosen = {"" if v is None else str(v) for v in values}
        parts = [format_html('<select name="{}"{}>', name, flatatt(final_attrs))]

        def option(option_value, label):
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            return f'<option value="{_escaped(text)}"{selected}>{_escaped(label)}</option>'

        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', group_value))
                parts.extend(option(v, label) for v, label in group_label)
                parts.append("</optgroup>")
            else:
                parts.append(option(group_value, group_label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # every part is escaped above


class NameChoiceIterator(ModelChoiceIterator):
    """Choices read as (pk, name) rows rather than as a model instance each."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class PinyinOrderIterator(ModelChoiceIterator):
    """Staff in the pinyin order of their names (程 after every 陈), as cadres are listed:
    sorted here, as a unit's staff are a few dozen and logins keep no pinyin."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for user in sorted(self.queryset, key=lambda user: pinyin_sort_key(str(user))):
            yield self.choice(user)


def staff_choices(field: forms.ModelChoiceField, staff) -> None:
    """Offer ``staff`` in ``field`` in pinyin order."""
    field.queryset = staff
    field.iterator = PinyinOrderIterator


class NameChoiceField(forms.ModelChoiceField):
    """A choice of records shown by their name (``__str__`` is the name), for lists of
    thousands such as a large bureau's party branches."""

    iterator = NameChoiceIterator
    widget = LongSelect


def _escaped(value) -> str:
    """What ``{{ value }}`` writes: safe strings as they are, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


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
        label=_("retirement kind"), choices=_blank(RetirementKind.choices), required=False
    )
    age_band = forms.ChoiceField(
        label=_("age band"), choices=_blank(AgeBand.choices), required=False
    )
    health = forms.ChoiceField(label=_("health"), choices=_blank(Health.choices), required=False)
    living_situation = forms.ChoiceField(
        label=_("living situation"), choices=_blank(LivingSituation.choices), required=False
    )
    hardship = forms.ChoiceField(
        label=_("hardship"), choices=_blank(Hardship.choices), required=False
    )
    party_member = forms.ChoiceField(
        label=_("CPC member"),
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("status"),
        choices=[*CadreStatus.choices, ("all", _("All"))],
        required=False,
        initial=CadreStatus.ON_REGISTER,
    )
    liaison = forms.ModelChoiceField(
        label=_("liaison"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=LongSelect,
    )
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)

    def __init__(self, *args, units, branches, liaisons, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["branch"].queryset = branches
        staff_choices(self.fields["liaison"], liaisons)
        # Read once, in pinyin order, for both the choices shown and the check.
        self.fields["community"].choices = [
            ("", _("All")),
            *((name, name) for name in sorted(communities, key=pinyin_sort_key)),
        ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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


class DeathForm(forms.Form):
    died_on = forms.DateField(label=_("date of death"), widget=DateInput)

    def clean_died_on(self):
        value = self.cleaned_data["died_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return value


class TransferForm(forms.Form):
    transferred_on = forms.DateField(label=_("date transferred out"), widget=DateInput)
    transferred_to = forms.CharField(label=_("transferred to"), max_length=100)


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


class WriteOnlyIdNumberForm(forms.ModelForm):
    """A cadre form (staff site and admin) whose ID number is written, never read back:
    the field starts empty with the masked number as its placeholder, and left empty it
    keeps the number on record. So no form, history form or page source carries a full
    ID number, whatever the role; the logged "show the full number" action is the one
    way to read it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("id_number")
        if field is None or not self.instance.pk or not self.instance.id_number:
            return
        field.required = False
        field.widget.attrs["placeholder"] = self.instance.masked_id_number
        field.widget.attrs["autocomplete"] = "off"
        field.help_text = _(
            "Stored encrypted and not shown here. Leave empty to keep the number on "
            "record, or enter a new one to replace it."
        )
        self.initial["id_number"] = ""

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number")
        if not value and self.instance.pk:
            return self.instance.id_number
        return value


class CadreEntryForm(WriteOnlyIdNumberForm):
    """A cadre form (staff site and admin) that checks for duplicates as the record is
    entered (``duplicates``): the same ID number as another cadre is refused; the same
    name and date of birth as another cadre — checked for a new record, and when either
    changes — needs ``confirm_not_duplicate`` ticked. Matches are named only when they
    are of ``scope_user``'s units (set by the staff-site view, and by admin's scoped
    form); with no user, none is named."""

    scope_user: User | None = None

    # Hidden until there is a warning to confirm (admin shows a hidden field's row hidden).
    confirm_not_duplicate = forms.BooleanField(
        label=_("Not the same person: save anyway"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.namesake_warning = []

    def clean_id_number(self):
        value = super().clean_id_number()
        if not value or (self.instance.pk and value == self.instance.id_number):
            return value
        matches = duplicates.id_number_matches(
            user=self.scope_user, number=value, exclude_pk=self.instance.pk
        )
        if matches:
            raise forms.ValidationError(duplicates.id_number_refusal(matches), code="unique")
        return value

    def clean(self):
        cleaned = super().clean()
        name, birth_date = cleaned.get("name"), cleaned.get("birth_date")
        entered = not self.instance.pk or {"name", "birth_date"} & set(self.changed_data)
        if not (name and birth_date and entered):
            return cleaned
        matches = duplicates.namesakes(
            user=self.scope_user, name=name, birth_date=birth_date, exclude_pk=self.instance.pk
        )
        if not matches:
            return cleaned
        self.namesake_warning = duplicates.namesake_warning(matches)
        self.fields["confirm_not_duplicate"].widget = forms.CheckboxInput(
            attrs={"class": "form-check-input"}
        )
        if not cleaned.get("confirm_not_duplicate"):
            self.add_error(
                "confirm_not_duplicate",
                [
                    *self.namesake_warning,
                    _(
                        "If this is a different person, tick “Not the same person: save "
                        "anyway” and save again."
                    ),
                ],
            )
        return cleaned

    def record_fields(self, *, changed_only: bool = False) -> dict:
        """The cleaned values of the record's own fields (all of them for
        ``cadre_create``, the changed ones for ``cadre_update``)."""
        names = self.changed_data if changed_only else self.cleaned_data
        return {name: self.cleaned_data[name] for name in names if name in self._meta.fields}


class CadreForm(CadreEntryForm):
    """The cadre record on the staff site, laid out in the 六清楚 sections. Status,
    death and transfer have their own actions; the ID number is write-only."""

    class Meta:
        model = Cadre
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "celebrates_lunar_birthday",
            "id_number",
            "photo",
            "retirement_kind",
            "retirement_date",
            "unit",
            "former_employer",
            "former_post",
            "rank",
            "political_status",
            "party_joined_on",
            "phone",
            "residential_community",
            "address",
            "liaison",
            "health",
            "health_changed_on",
            "health_notes",
            "living_situation",
            "hardship",
            "hardship_notes",
            "hobbies",
            "learning_activities",
            "current_needs",
            "notes",
        ]
        widgets = {
            "birth_date": DateInput(),
            "retirement_date": DateInput(),
            "party_joined_on": DateInput(),
            "health_changed_on": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in (
                    "health_notes",
                    "hardship_notes",
                    "hobbies",
                    "learning_activities",
                    "current_needs",
                    "notes",
                )
            },
        }

    def __init__(self, *args, units, staff, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_user = user
        self.fields["unit"].queryset = units
        staff_choices(self.fields["liaison"], staff)
        identity = [
            Row(Column("name"), Column("gender"), Column("ethnicity")),
            Row(Column("birth_date"), Column("celebrates_lunar_birthday")),
            "id_number",
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Basic facts"), *identity, "photo"),
            Fieldset(
                _("Retirement"),
                Row(Column("retirement_kind"), Column("retirement_date"), Column("unit")),
                Row(Column("former_employer"), Column("former_post"), Column("rank")),
                Row(Column("political_status"), Column("party_joined_on")),
            ),
            Fieldset(
                _("Contact"),
                Row(Column("phone"), Column("residential_community"), Column("liaison")),
                "address",
            ),
            Fieldset(
                _("Health"), Row(Column("health"), Column("health_changed_on")), "health_notes"
            ),
            Fieldset(
                _("Living situation and hardship"),
                Row(Column("living_situation"), Column("hardship")),
                "hardship_notes",
            ),
            Fieldset(_("Hobbies and specialties"), "hobbies"),
            Fieldset(_("Learning and activities"), "learning_activities"),
            Fieldset(_("Current needs and follow-up"), "current_needs", "notes"),
        )


class FamilyContactForm(forms.ModelForm):
    """家属: a family member or emergency contact, added on the cadre's page."""

    class Meta:
        model = FamilyContact
        fields = ["name", "relation", "phone", "is_emergency_contact", "address", "notes"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}
