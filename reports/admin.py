from django.contrib import admin

from accounts.scoping import ReadOnlyAdminMixin, UnitScopedAdminMixin

from .models import ExportRecord, YearTheme


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
