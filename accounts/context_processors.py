"""Template context of the accounts app."""

from .models import Language
from .scoping import can_use_admin


def admin_access(request) -> dict:
    """``can_use_admin``: whether the staff site links into Django admin for this user
    (never for branch secretaries, whose login admin refuses)."""
    user = getattr(request, "user", None)
    return {"can_use_admin": user is not None and can_use_admin(user=user)}


def languages(request) -> dict:
    """``site_languages``: the language switch's choices, each named in itself."""
    return {"site_languages": Language.choices}
