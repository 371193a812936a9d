"""Admin of the money. Standards are edited by administrators (as on the staff site);
budget lines, their adjustments, computations and expenses are read here and written
only through the staff site's services, which keep a line's budget equal to its
computed amount plus its adjustments and refuse overspending."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.scoping import ReadOnlyAdminMixin, ScopedHistoryAdmin, UnitScopedAdminMixin

from .models import BudgetAdjustment, BudgetComputation, BudgetLine, Expense, Standard
from .roles import can_manage_standards, can_read_funds


class AdministratorsOnly:
    def has_module_permission(self, request):
        return can_manage_standards(user=request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_standards(user=request.user)

    def has_add_permission(self, request, obj=None):
        return can_manage_standards(user=request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_standards(user=request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_standards(user=request.user)


@admin.register(Standard)
class StandardAdmin(AdministratorsOnly, SimpleHistoryAdmin):
    list_display = [
        "year",
        "occasion",
        "retirement_kind",
        "min_age",
        "max_age",
        "hardship_only",
        "basis",
        "amount",
        "times_per_hundred",
    ]
    list_filter = ["year", "occasion", "retirement_kind", "basis"]
    list_select_related = ["occasion"]


@admin.register(BudgetComputation)
class BudgetComputationAdmin(AdministratorsOnly, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "register_date", "total", "lines_changed", "applied_by", "applied_at"]
    list_filter = ["year"]
    list_select_related = ["applied_by"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadByFundReaders(ReadOnlyAdminMixin):
    """Read (within the unit scope) by those who may use admin and read the money."""

    def has_module_permission(self, request):
        return can_read_funds(user=request.user)

    def has_view_permission(self, request, obj=None):
        return can_read_funds(user=request.user)


class AdjustmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BudgetAdjustment
    fields = ["made_at", "made_by", "amount", "reason"]
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request, obj=None):
        return can_read_funds(user=request.user)


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadByFundReaders, ScopedHistoryAdmin):
    list_display = ["year", "unit", "code", "occasion", "computed_amount", "amount", "heads"]
    list_filter = ["year", "code"]
    list_select_related = ["unit", "occasion"]
    search_fields = ["unit__name", "code"]
    inlines = [AdjustmentInline]


@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(ReadByFundReaders, UnitScopedAdminMixin, admin.ModelAdmin):
    unit_path = "line__unit"
    list_display = ["made_at", "line", "amount", "made_by", "reason"]
    list_select_related = ["line__unit", "line__occasion", "made_by"]
    list_filter = ["line__year"]
    search_fields = ["reason", "line__unit__name"]


@admin.register(Expense)
class ExpenseAdmin(ReadByFundReaders, ScopedHistoryAdmin):
    list_display = ["spent_on", "unit", "line_code", "amount", "payee", "source", "voided_at"]
    list_filter = ["source", "line_code"]
    list_select_related = ["unit"]
    search_fields = ["payee", "note", "unit__name"]
    date_hierarchy = "spent_on"
