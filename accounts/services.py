"""Writes of the accounts app."""

from django.db import transaction

from .models import User


@transaction.atomic
def user_update_profile(*, user: User, **fields) -> User:
    """Change the user's own contact details and reminder preferences."""
    allowed = {"full_name", "email", "phone", "receives_reminders", "reminder_lead_days"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user._history_user = user
    user.save(update_fields=sorted(fields))
    return user
