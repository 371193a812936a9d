from django import forms
from django.core.exceptions import ValidationError

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "receives_reminders", "reminder_lead_days"]


def form_add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation errors on the form that was submitted: on their field
    where the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)
