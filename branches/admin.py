from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import (
    ScopedChoicesAdminMixin,
    ScopedHistoryAdmin,
    ScopedRelatedFieldListFilter,
)

from .models import BranchAide, BranchMeeting, BranchRole, PartyBranch


class BranchRoleInline(ScopedChoicesAdminMixin, admin.TabularInline):
    model = BranchRole
    extra = 0
    fields = ["cadre", "role", "started_on", "term_ends_on", "ended_on"]
    autocomplete_fields = ["cadre"]
    ordering = ["ended_on", "role", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cadre")


class BranchAideInline(ScopedChoicesAdminMixin, admin.TabularInline):
    """在职干部协助 on the branch's page in admin."""

    model = BranchAide
    extra = 0
    fields = ["user", "started_on", "ended_on", "note"]
    autocomplete_fields = ["user"]
    ordering = ["ended_on", "-started_on", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(PartyBranch)
class PartyBranchAdmin(ScopedHistoryAdmin):
    list_display = ["name", "kind", "parent", "unit", "member_count", "founded_on", "is_active"]
    list_filter = ["kind", "is_active", ("unit", ScopedRelatedFieldListFilter)]
    list_select_related = ["parent", "unit"]
    search_fields = ["name", "feature"]
    autocomplete_fields = ["parent", "unit"]
    inlines = [BranchRoleInline, BranchAideInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(current_members=Count("roles", filter=Q(roles__ended_on__isnull=True)))
        )

    @admin.display(description=_("members"), ordering="current_members")
    def member_count(self, obj):
        return obj.current_members


@admin.register(BranchRole)
class BranchRoleAdmin(ScopedHistoryAdmin):
    unit_path = "branch__unit"
    list_display = ["cadre", "branch", "role", "started_on", "term_ends_on", "ended_on"]
    list_filter = ["role", ("ended_on", admin.EmptyFieldListFilter), "branch__kind"]
    list_select_related = ["cadre", "branch"]
    search_fields = ["cadre__name", "cadre__name_initials", "branch__name"]
    autocomplete_fields = ["branch", "cadre"]
    date_hierarchy = "started_on"
    show_full_result_count = False


@admin.register(BranchMeeting)
class BranchMeetingAdmin(ScopedHistoryAdmin):
    unit_path = "branch__unit"
    list_display = ["topic", "branch", "kind", "held_on", "attendee_count"]
    list_filter = ["kind", "branch__kind"]
    list_select_related = ["branch"]
    search_fields = ["topic", "branch__name"]
    autocomplete_fields = ["branch", "attendees"]
    date_hierarchy = "held_on"
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attendee_total=Count("attendees"))

    @admin.display(description=_("attendance"), ordering="attendee_total")
    def attendee_count(self, obj):
        return obj.attendee_total


@admin.register(BranchAide)
class BranchAideAdmin(ScopedHistoryAdmin):
    unit_path = "branch__unit"
    list_display = ["user", "branch", "started_on", "ended_on", "note"]
    list_filter = [("ended_on", admin.EmptyFieldListFilter), "branch__kind"]
    list_select_related = ["user", "branch"]
    search_fields = ["user__full_name", "user__username", "branch__name", "note"]
    autocomplete_fields = ["branch", "user"]
    date_hierarchy = "started_on"
    show_full_result_count = False
