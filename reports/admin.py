from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from accounts.scoping import ReadOnlyAdminMixin, UnitScopedAdminMixin

from .models import ExportRecord, ScorecardWeight, YearTheme


@admin.register(YearTheme)
class YearThemeAdmin(admin.ModelAdmin):
    list_display = ["year", "theme"]
    search_fields = ["theme"]


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    """The export log is evidence: it is read, never edited."""

    unit_path = "user__unit"
    list_display = ["exported_at", "user", "kind", "row_count", "id_numbers_masked"]
    list_filter = ["kind", "id_numbers_masked"]
    search_fields = ["user__username", "user__full_name"]
    date_hierarchy = "exported_at"
    readonly_fields = [f.name for f in ExportRecord._meta.fields]


@admin.register(ScorecardWeight)
class ScorecardWeightAdmin(SimpleHistoryAdmin):
    """The weights of the unit scorecard's measures: set by administrators (one row per
    measure, seeded; none added or deleted)."""

    list_display = ["measure", "weight"]
    list_editable = ["weight"]
    readonly_fields = ["measure"]

    def _is_administrator(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role == User.Role.ADMINISTRATOR)

    def has_module_permission(self, request):
        return self._is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
