from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.scoping import ReadOnlyAdminMixin, UnitScopedAdminMixin

from .delivery_selectors import is_administrator
from .delivery_services import digest_requeue
from .models import (
    CalendarFeed,
    DeliveryAlert,
    Digest,
    Holiday,
    PlanProblem,
    PlanRun,
    ReminderItem,
    ReminderRule,
)
from .tasks import send_digest


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "calendar",
        "month",
        "day",
        "lead_days",
        "audience",
        "min_age",
        "occasion",
        "is_active",
    ]
    list_filter = ["calendar", "audience", "is_active"]
    list_editable = ["lead_days", "is_active"]
    list_select_related = ["occasion"]
    search_fields = ["name"]


@admin.register(ReminderRule)
class ReminderRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "kind",
        "is_active",
        "lead_days",
        "threshold_days",
        "threshold_days_lixiu",
        "threshold_days_tuixiu",
    ]
    list_editable = ["is_active", "lead_days"]

    def has_add_permission(self, request):
        return False  # one row per kind, seeded

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanRun)
class PlanRunAdmin(admin.ModelAdmin):
    list_display = ["day", "planned_at", "item_count"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReminderItemInline(admin.TabularInline):
    model = ReminderItem
    extra = 0
    fields = ["kind", "occurrence", "cadre", "branch", "details"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cadre", "branch")


@admin.register(Digest)
class DigestAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    unit_path = "recipient__unit"
    list_display = [
        "recipient",
        "send_on",
        "part",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "send_on"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__full_name"]
    date_hierarchy = "send_on"
    readonly_fields = [
        "recipient",
        "send_on",
        "part",
        "status",
        "attempts",
        "next_attempt_at",
        "deadline",
        "last_error",
        "claimed_at",
        "sent_at",
        "created_at",
    ]
    inlines = [ReminderItemInline]
    actions = ["send_again"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected failed digests again"))
    def send_again(self, request, queryset):
        count = 0
        for digest in queryset.filter(status=Digest.Status.FAILED):
            digest_requeue(digest=digest)
            send_digest.delay_on_commit(digest.pk)
            count += 1
        messages.success(
            request, _("%(count)d digests queued to be sent again.") % {"count": count}
        )


@admin.register(ReminderItem)
class ReminderItemAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    unit_path = "recipient__unit"
    list_display = ["kind", "occurrence", "cadre", "branch", "recipient", "planned_for", "digest"]
    list_filter = ["kind", "planned_for"]
    list_select_related = ["cadre", "branch", "recipient", "digest__recipient"]
    search_fields = ["cadre__name", "cadre__name_initials", "recipient__username", "subject_key"]
    date_hierarchy = "occurrence"
    readonly_fields = [f.name for f in ReminderItem._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    """Who has a calendar feed and whether it is used. The token is a secret: admin shows
    only its first characters; a user resets their own from their reminders page."""

    unit_path = "user__unit"
    list_display = ["user", "token_hint", "created_at", "reset_at", "last_fetched_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name"]
    fields = ["user", "token_hint", "created_at", "reset_at", "last_fetched_at"]
    readonly_fields = ["token_hint", "created_at", "reset_at", "last_fetched_at"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("token"))
    def token_hint(self, obj):
        return obj.token_hint if obj.pk else "—"

    def get_readonly_fields(self, request, obj=None):
        # The user of an existing feed does not change; delete the feed instead.
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields


@admin.register(PlanProblem)
class PlanProblemAdmin(ReadOnlyAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    """Records the daily plan skipped: put the record right (the cadre's link) and the
    next plan reminds of it again."""

    unit_path = "cadre__unit"
    list_display = ["day", "kind", "cadre_link", "error"]
    list_filter = ["day", "kind"]
    list_select_related = ["cadre"]
    search_fields = ["cadre__name", "cadre__name_initials", "error"]
    date_hierarchy = "day"
    readonly_fields = [f.name for f in PlanProblem._meta.fields]
    show_full_result_count = False

    @admin.display(description=_("cadre"), ordering="cadre__name")
    def cadre_link(self, obj):
        if obj.cadre is None:
            return "—"
        url = reverse("admin:cadres_cadre_change", args=[obj.cadre_id])
        return format_html('<a href="{}">{}</a>', url, obj.cadre.name)


@admin.register(DeliveryAlert)
class DeliveryAlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The mails that told administrators of digests that failed for good: for
    administrators only."""

    list_display = ["day", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status"]
    date_hierarchy = "day"
    readonly_fields = [f.name for f in DeliveryAlert._meta.fields]

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
