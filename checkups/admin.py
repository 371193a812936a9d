from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedHistoryAdmin

from .models import Checkup, CheckupCampaign
from .selectors import can_open_campaigns


@admin.register(CheckupCampaign)
class CheckupCampaignAdmin(ScopedHistoryAdmin):
    """Campaigns are the bureau's: administrators and bureau staff open and change
    them (their listed cadres may be of any unit); unit staff follow them on the staff
    site."""

    unit_path = ()  # one campaign for every unit
    list_display = ["name", "year", "audience", "opens_on", "closes_on", "is_active"]
    list_filter = ["year", "audience", "is_active"]
    search_fields = ["name", "hospitals"]
    autocomplete_fields = ["cadres", "follow_up_occasion"]
    fieldsets = (
        (None, {"fields": ("name", "year", ("opens_on", "closes_on"), "is_active")}),
        (_("Who is checked"), {"fields": ("audience", "min_age", "cadres")}),
        (
            _("Where and after"),
            {"fields": ("hospitals", ("follow_up_occasion", "follow_up_days"), "notes")},
        ),
    )

    def _bureau(self, request) -> bool:
        return can_open_campaigns(user=request.user)

    def has_module_permission(self, request):
        return self._bureau(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._bureau(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._bureau(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._bureau(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Campaigns with checkups are evidence; deactivate instead.
        return request.user.is_superuser and (obj is None or not obj.checkups.exists())


@admin.register(Checkup)
class CheckupAdmin(ScopedHistoryAdmin):
    unit_path = "cadre__unit"
    list_display = ["cadre", "campaign", "checked_on", "result", "not_checked_reason"]
    list_filter = ["campaign", "result", "not_checked_reason"]
    list_select_related = ["cadre", "campaign"]
    search_fields = ["cadre__name", "cadre__name_initials", "cadre__name_pinyin", "hospital"]
    autocomplete_fields = ["cadre"]
    date_hierarchy = "checked_on"
    show_full_result_count = False
    # The report scan is kept privately: it is uploaded on the staff site and opened
    # through the page that checks the viewer's scope, never from a public address.
    fields = [
        "campaign",
        "cadre",
        ("checked_on", "hospital"),
        "result",
        "result_summary",
        "notes",
        "not_checked_reason",
        "report",
        "follow_up_visit",
        "recorded_by",
    ]
    readonly_fields = ["report", "follow_up_visit", "recorded_by"]

    @admin.display(description=_("report scan"))
    def report(self, obj):
        if not obj.pk or not obj.report_file:
            return "—"
        url = reverse("checkups:report_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.report_name or _("download"))

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
