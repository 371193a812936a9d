"""The Django admin site of Yinling: who may enter it is decided here, in code.

Branch secretaries have no admin access at all, even when their login is marked
``is_staff`` or holds model permissions: they read the branches they lead on the staff
site, whose scope (their branches' members) admin, which scopes by unit, cannot express.
Unit staff use admin within their unit subtree, bureau staff and administrators across
every unit (``accounts.scoping.can_use_admin`` and ``UnitScopedAdminMixin``).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms import UsernameLengthChecked
from .models import User
from .scoping import can_use_admin

BRANCH_SECRETARY_REFUSAL = _(
    "Branch secretaries have no access to administration. The branches you lead and "
    "their members are on the staff site."
)
NO_ADMIN_ACCESS = _("Your login has no access to administration.")


def admin_refusal(user: User) -> str:
    """Why ``user`` may not enter admin, in words for the login page."""
    if user.role == User.Role.BRANCH_SECRETARY and not user.is_superuser:
        return str(BRANCH_SECRETARY_REFUSAL)
    return str(NO_ADMIN_ACCESS)


class AdminLoginForm(UsernameLengthChecked, AdminAuthenticationForm):
    """Admin's sign-in, which refuses a branch secretary with the reason rather than
    signing them in to a site that would then turn them away."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not can_use_admin(user=user):
            raise ValidationError(admin_refusal(user), code="no_admin_access")


class YinlingAdminSite(admin.AdminSite):
    # The titles are set in config/urls.py.
    login_form = AdminLoginForm
    login_template = "admin/yinling_login.html"

    def has_permission(self, request):
        return can_use_admin(user=request.user)

    def login(self, request, extra_context=None):
        """For someone signed in to the staff site without admin access, the login page
        answers 403 and says why (every admin URL sends them here)."""
        user = request.user
        refused = user.is_authenticated and not self.has_permission(request)
        context = {**(extra_context or {}), "refusal": admin_refusal(user) if refused else ""}
        response = super().login(request, extra_context=context)
        if refused and request.method == "GET":
            response.status_code = 403
        return response
