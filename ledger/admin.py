from django.contrib import admin

from accounts.scoping import ReadOnlyAdminMixin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: jobs are made by the upload page and changed only by the import."""

    list_display = [
        "original_name",
        "user",
        "status",
        "total_rows",
        "bad_rows",
        "error_count",
        "created_count",
        "created_at",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["original_name", "user__username", "user__full_name"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    exclude = ["errors", "preview", "rows_file"]

    def get_queryset(self, request):
        jobs = super().get_queryset(request).defer("errors", "preview")
        if request.user.is_superuser:
            return jobs
        return jobs.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name not in self.exclude]
