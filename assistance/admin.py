"""Admin of 特困帮扶 cases: read only (every step is taken on the staff site, where the
workflow's rules hold), scoped to the user's units like every registry admin, with the
history tab. Document files are not linked here: they are served only by the scoped
download view of the staff site."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ReadOnlyAdminMixin, ScopedHistoryAdmin, ScopedRelatedFieldListFilter

from .models import AssistanceCase, AssistanceDocument


class AssistanceDocumentInline(admin.TabularInline):
    model = AssistanceDocument
    extra = 0
    fields = ["original_name", "description", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AssistanceCase)
class AssistanceCaseAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    unit_path = "unit"
    list_display = [
        "cadre",
        "unit",
        "category",
        "status",
        "amount_requested",
        "amount_approved",
        "amount_paid",
        "created_at",
    ]
    list_filter = ["status", "category", ("unit", ScopedRelatedFieldListFilter)]
    search_fields = ["cadre__name", "cadre__name_initials"]
    list_select_related = ["cadre", "unit"]
    date_hierarchy = None
    inlines = [AssistanceDocumentInline]
    exclude = []

    def get_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.concrete_fields if field.name != "id"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("case number"))
    def reference(self, obj):
        return obj.reference
