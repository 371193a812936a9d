from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Unit, User
from .scoping import ReadOnlyAdminMixin, ScopedHistoryAdmin, ScopedRelatedFieldListFilter


@admin.register(Unit)
class UnitAdmin(ScopedHistoryAdmin):
    unit_path = ""
    list_display = ["name", "short_name", "code", "kind", "parent", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent"]
    list_editable = ["sort_order"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser and obj is not None and obj.pk == request.user.unit_id:
            readonly.append("parent")  # one's own place in the tree is set by administrators
        return readonly


@admin.register(User)
class UserAdmin(ScopedHistoryAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "full_name",
        "role",
        "unit",
        "receives_reminders",
        "is_active",
        "is_staff",
        "last_login",
    ]
    list_filter = [
        "role",
        "receives_reminders",
        "is_active",
        "is_staff",
        ("unit", ScopedRelatedFieldListFilter),
    ]
    list_select_related = ["unit"]
    search_fields = ["username", "full_name", "first_name", "last_name", "email", "phone"]
    autocomplete_fields = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email", "phone", "language")}),
        (_("Work"), {"fields": ("unit", "role", "receives_reminders")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "unit", "role", "password1", "password2"),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Nobody grants themselves or others more than they have: roles, admin access
            # and permissions are set by administrators, and nobody moves their own unit.
            readonly += ["is_superuser", "is_staff", "groups", "user_permissions", "role"]
            if obj is not None and obj.pk == request.user.pk:
                readonly.append("unit")
        return readonly


# Sign-in records (django-axes registers their admins): read only, for they are the
# evidence of who tried to sign in, and from which address. An attempt may still be
# deleted: that unlocks its username at its address before the cool-off ends.
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    def has_change_permission(self, request, obj=None):
        return False


class AccessFailureLogAdmin(ReadOnlyAdminMixin, axes_admin.AccessFailureLogAdmin):
    pass


class AccessLogAdmin(ReadOnlyAdminMixin, axes_admin.AccessLogAdmin):
    pass


for _model, _model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
    (AccessLog, AccessLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _model_admin)
