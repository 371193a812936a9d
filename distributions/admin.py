from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.scoping import (
    ScopedChoicesAdminMixin,
    ScopedHistoryAdmin,
    ScopedRelatedFieldListFilter,
    scope_queryset,
)

from .models import Delivery, Distribution


class DeliveryInline(ScopedChoicesAdminMixin, admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["cadre", "way", "delivered_on", "delivered_by", "notes"]
    autocomplete_fields = ["cadre", "delivered_by"]
    show_change_link = True

    def get_queryset(self, request):
        # Only the deliveries to cadres the user may see, as on the staff site.
        return scope_queryset(
            super().get_queryset(request),
            user=request.user,
            unit_path="cadre__unit",
            cadre_path="cadre",
        )


@admin.register(Distribution)
class DistributionAdmin(ScopedHistoryAdmin):
    unit_path = "unit"
    list_display = ["__str__", "kind", "issued_on", "year", "unit", "audience", "cost"]
    list_filter = ["kind", "year", "audience", ("unit", ScopedRelatedFieldListFilter)]
    list_select_related = ["unit"]
    search_fields = ["title", "notes"]
    autocomplete_fields = ["unit", "branch", "listed_cadres"]
    readonly_fields = ["expense", "created_by", "created_at"]
    date_hierarchy = "issued_on"
    inlines = [DeliveryInline]
    fieldsets = (
        (None, {"fields": (("kind", "issue_number"), "title", ("issued_on", "year"), "unit")}),
        (_("audience"), {"fields": ("audience", "min_age", "branch", "listed_cadres")}),
        (_("cost (yuan)"), {"fields": (("cost", "copies"), "expense")}),
        (None, {"fields": ("notes", ("created_by", "created_at"))}),
    )


@admin.register(Delivery)
class DeliveryAdmin(ScopedHistoryAdmin):
    unit_path = "cadre__unit"
    list_display = ["distribution", "cadre", "way", "delivered_on", "delivered_by"]
    list_filter = ["way", "distribution__kind"]
    list_select_related = ["distribution", "cadre", "delivered_by"]
    search_fields = ["cadre__name", "cadre__name_initials", "distribution__title"]
    autocomplete_fields = ["distribution", "cadre", "delivered_by"]
    readonly_fields = ["branch_meeting", "activity", "recorded_at"]
    date_hierarchy = "delivered_on"
