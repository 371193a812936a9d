from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Health

from .models import REPORT_EXTENSIONS, Checkup, CheckupCampaign
from .selectors import CHECKED, NO_REASON, PENDING

# A report scan is a few pages: refuse anything larger before it is stored.
REPORT_MAX_MB = 20

STATUS_CHOICES = [
    ("", _("Everyone")),
    (PENDING, _("Not yet checked")),
    (NO_REASON, _("Not yet checked, no reason given")),
    *[(code, label) for code, label in Checkup.Reason.choices],
    (CHECKED, _("Checked")),
    *[(code, label) for code, label in Checkup.Result.choices],
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def hospital_field(campaign: CheckupCampaign, *, required: bool = False) -> forms.Field:
    hospitals = campaign.hospital_list
    if hospitals:
        return forms.ChoiceField(
            label=_("hospital"), choices=[(h, h) for h in hospitals], required=required
        )
    return forms.CharField(label=_("hospital"), max_length=100, required=required)


class CheckupForm(forms.Form):
    checked_on = forms.DateField(label=_("checked on"), widget=DateInput())
    result = forms.ChoiceField(
        label=_("result"), choices=Checkup.Result.choices, widget=forms.RadioSelect
    )
    result_summary = forms.CharField(
        label=_("result summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the checkup found, in a few words."),
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    report_file = forms.FileField(
        label=_("report scan"),
        required=False,
        validators=[FileExtensionValidator(REPORT_EXTENSIONS)],
    )
    follow_up_on = forms.DateField(
        label=_("follow-up visit due"),
        required=False,
        widget=DateInput(),
        help_text=_("For a finding that needs a follow-up: the visit is planned for this day."),
    )
    update_health = forms.BooleanField(
        label=_("Update the health section of the cadre's record"), required=False
    )
    health = forms.ChoiceField(
        label=_("health"), required=False, choices=[("", "—"), *Health.choices]
    )

    def __init__(self, *args, campaign: CheckupCampaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital"] = hospital_field(campaign)
        self.order_fields(["checked_on", "hospital", "result"])
        self.fields["report_file"].help_text = _(
            "PDF or image, up to %(mb)s MB. Kept privately."
        ) % {"mb": REPORT_MAX_MB}
        today = timezone.localdate()
        self.fields["checked_on"].widget.attrs["max"] = today.isoformat()

    def clean_report_file(self):
        upload = self.cleaned_data.get("report_file")
        if upload and upload.size > REPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": REPORT_MAX_MB}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        follow_up = cleaned.get("follow_up_on")
        checked_on = cleaned.get("checked_on")
        if follow_up and checked_on and follow_up < checked_on:
            self.add_error("follow_up_on", _("The follow-up is before the checkup."))
        return cleaned


class NotCheckedForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("reason not checked"),
        choices=[("", _("No reason (still to check)")), *Checkup.Reason.choices],
        required=False,
    )
    notes = forms.CharField(label=_("notes"), required=False, max_length=500)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=50)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None, required=False)
    liaison = forms.ModelChoiceField(label=_("liaison"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, units, liaisons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["liaison"].queryset = liaisons
        self.fields["liaison"].label_from_instance = lambda user: user.display_name


class BulkForm(forms.Form):
    """Several cadres at once: checked together on a day, or not checked for a reason."""

    RECORD = "record"
    REASON = "reason"

    action = forms.ChoiceField(choices=[(RECORD, RECORD), (REASON, REASON)])
    cadres = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={"required": _("Tick at least one cadre.")},
    )
    checked_on = forms.DateField(label=_("checked on"), required=False, widget=DateInput())
    reason = forms.ChoiceField(
        label=_("reason not checked"),
        choices=[("", _("No reason (still to check)")), *Checkup.Reason.choices],
        required=False,
    )

    def __init__(self, *args, campaign: CheckupCampaign, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadres"].queryset = cadres
        self.fields["hospital"] = hospital_field(campaign)
        self.order_fields(["action", "cadres", "checked_on", "hospital", "reason"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.RECORD and not cleaned.get("checked_on"):
            self.add_error("checked_on", _("Give the date of the checkup."))
        return cleaned
