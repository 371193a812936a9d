from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import (
    ScopedChoicesAdminMixin,
    ScopedHistoryAdmin,
    ScopedRelatedFieldListFilter,
    scope_queryset,
)

from .models import Activity, Attendance, Honour, Suggestion, Team, TeamMembership
from .selectors import attendance_editable_cadre_ids


class TeamMembershipInline(ScopedChoicesAdminMixin, admin.TabularInline):
    model = TeamMembership
    extra = 0
    fields = ["cadre", "is_leader", "joined_on"]
    autocomplete_fields = ["cadre"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cadre")


@admin.register(Team)
class TeamAdmin(ScopedHistoryAdmin):
    list_display = ["name", "kind", "unit", "branch", "member_count", "is_active"]
    list_filter = ["kind", "is_active", ("unit", ScopedRelatedFieldListFilter)]
    list_select_related = ["unit", "branch"]
    search_fields = ["name"]
    autocomplete_fields = ["unit", "branch"]
    inlines = [TeamMembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, obj):
        return obj.member_total


@admin.register(TeamMembership)
class TeamMembershipAdmin(ScopedHistoryAdmin):
    unit_path = "team__unit"
    list_display = ["cadre", "team", "is_leader", "joined_on"]
    list_filter = ["is_leader", "team__kind"]
    list_select_related = ["cadre", "team"]
    search_fields = ["cadre__name", "cadre__name_initials", "team__name"]
    autocomplete_fields = ["team", "cadre"]


class AttendanceInline(ScopedChoicesAdminMixin, admin.TabularInline):
    """The activity's list as the editor may change it: only their own cadres' rows.
    Other units' cadres on the list are read in the attendance list (and on the staff
    site's activity page), never changed from here."""

    model = Attendance
    extra = 0
    fields = ["cadre", "status", "volunteer_hours"]
    autocomplete_fields = ["cadre"]

    def get_queryset(self, request):
        queryset = scope_queryset(
            super().get_queryset(request),
            user=request.user,
            unit_path="cadre__unit",
            cadre_path="cadre",
        )
        return queryset.select_related("cadre")


@admin.register(Activity)
class ActivityAdmin(ScopedHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "place", "unit", "capacity", "attended_count"]
    list_filter = ["kind", ("unit", ScopedRelatedFieldListFilter)]
    list_select_related = ["unit"]
    search_fields = ["title", "place", "organiser"]
    autocomplete_fields = ["unit", "team", "branch"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                attended_total=Count(
                    "attendances", filter=Q(attendances__status=Attendance.Status.ATTENDED)
                )
            )
        )

    @admin.display(description=_("attended"), ordering="attended_total")
    def attended_count(self, obj):
        return obj.attended_total


@admin.register(Attendance)
class AttendanceAdmin(ScopedHistoryAdmin):
    unit_path = "activity__unit"
    list_display = ["cadre", "activity", "status", "volunteer_hours"]
    list_filter = ["status", "activity__kind"]
    list_select_related = ["cadre", "activity"]
    search_fields = ["cadre__name", "cadre__name_initials", "activity__title"]
    autocomplete_fields = ["activity", "cadre"]
    show_full_result_count = False

    # Listed by the activity's unit (as on the activity's page), changed only for one's
    # own cadres: another unit's cadre's attendance is read-only here.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own_cadre(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._own_cadre(request, obj)

    def _own_cadre(self, request, obj) -> bool:
        if obj is None:
            return True
        return bool(attendance_editable_cadre_ids(user=request.user, cadre_ids={obj.cadre_id}))


@admin.register(Honour)
class HonourAdmin(ScopedHistoryAdmin):
    unit_path = ("cadre__unit", "branch__unit", "team__unit")
    list_display = ["title", "year", "level", "recipient_name", "awarded_by"]
    list_filter = ["level", "year"]
    list_select_related = ["cadre", "branch", "team"]
    search_fields = ["title", "cadre__name", "branch__name", "team__name", "awarded_by"]
    autocomplete_fields = ["cadre", "branch", "team"]

    @admin.display(description=_("recipient"))
    def recipient_name(self, obj):
        return str(obj.recipient)


@admin.register(Suggestion)
class SuggestionAdmin(ScopedHistoryAdmin):
    unit_path = "cadre__unit"
    list_display = ["title", "cadre", "category", "submitted_on", "status", "forwarded_to"]
    list_filter = ["status", "category"]
    list_select_related = ["cadre"]
    search_fields = ["title", "text", "cadre__name", "cadre__name_initials"]
    autocomplete_fields = ["cadre", "activity"]
    date_hierarchy = "submitted_on"
