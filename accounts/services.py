"""Writes of the accounts app."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import Language, User

# What each role may do in Django admin (records are then limited to the user's units).
ROLE_PERMISSIONS = {
    User.Role.BUREAU_STAFF: {
        "view": ["accounts", "cadres", "branches", "activities", "reminders"],
        "add": ["cadres", "branches", "activities"],
        "change": ["cadres", "branches", "activities", "reminders"],
    },
    User.Role.UNIT_STAFF: {
        "view": ["cadres", "branches", "activities", "reminders"],
        "add": ["cadres", "activities"],
        "change": ["cadres", "activities"],
    },
    # Branch secretaries have no admin access (accounts.admin_site): their group holds
    # no permission, and syncing empties a group made when it held some.
    User.Role.BRANCH_SECRETARY: {},
}


@transaction.atomic
def role_groups_sync() -> dict[str, Group]:
    """Create or refresh one permission group per role (named in Chinese) and put every
    user of that role in it. Run after migrations; safe to run again."""
    groups = {}
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(User.Role(role).label))
        condition = Q(pk__in=[])
        for action, apps in grants.items():
            condition |= Q(codename__startswith=f"{action}_", content_type__app_label__in=apps)
        # History models are written by the system only.
        permissions = Permission.objects.filter(condition).exclude(codename__contains="historical")
        group.permissions.set(permissions)
        for user in User.objects.filter(role=role):
            user.groups.add(group)
        groups[role] = group
    return groups


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


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the language the user chose for the staff site (every device they sign
    in on shows it). Raises ``ValueError`` for a language the site does not offer."""
    if language not in Language.values:
        raise ValueError(f"not a language of the site: {language!r}")
    if user.language != language:
        user.language = language
        user._history_user = user
        user.save(update_fields=["language"])
    return user
