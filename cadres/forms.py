"""Forms of the cadre's record: entering and editing a cadre (with the duplicate checks
and the write-only ID number, on the staff site and in the admin), recording a death or a
transfer out, and the cadre's family contacts. The list filters are in ``filter_forms``,
visits in ``visit_forms``, care needs in ``need_forms``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from . import duplicates
from .form_fields import DateInput, staff_choices
from .models import Cadre, FamilyContact


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
