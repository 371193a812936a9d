from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

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


class UsernameLengthChecked:
    """For a sign-in form: a username longer than the column holds is refused by the
    form. AuthenticationForm sets its username field's ``max_length`` only after the field
    is built, so the length is never checked: a name of 10,000 characters reached
    ``authenticate()``, and django-axes, logging the failure, wrote it to a column of 255
    (500 on PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(UsernameLengthChecked, AuthenticationForm):
    """The staff site's sign-in."""
