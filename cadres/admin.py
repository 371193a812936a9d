import re

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextInputWidget
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from accounts.models import User
from accounts.scoping import (
    ReadOnlyAdminMixin,
    ScopedChoicesAdminMixin,
    ScopedHistoryAdmin,
    ScopedRelatedFieldListFilter,
    can_read_thoughts,
    can_see_id_numbers,
)

from .age_bands import AgeBand, age_band_q
from .encryption import EncryptedTextField
from .forms import CadreEntryForm
from .models import Cadre, CareNeed, FamilyContact, IdNumberDisclosure, Visit, VisitOccasion
from .registry_list import pinyin_name_q
from .services import cadre_prepare_for_save
from .validators import mask_resident_id


class AgeBandFilter(admin.SimpleListFilter):
    title = _("age band")
    parameter_name = "age_band"

    def lookups(self, request, model_admin):
        return AgeBand.choices

    def queryset(self, request, queryset):
        if self.value() in AgeBand.values:
            return queryset.filter(age_band_q(self.value(), today=timezone.localdate()))
        return queryset


# A whole resident ID number, or its last four characters.
ID_SEARCH = re.compile(r"[0-9]{17}[0-9X]|[0-9]{3}[0-9X]")


class MaskedHistoryHelper(HistoricalRecordContextHelper):
    """The admin's history list shows ID number changes masked, for every role."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "id_number":
            return mask_resident_id(value)
        return super().prepare_delta_change_value(change, value)


class FamilyContactInline(ScopedChoicesAdminMixin, admin.TabularInline):
    model = FamilyContact
    extra = 0
    fields = ["name", "relation", "phone", "address", "is_emergency_contact", "notes"]


@admin.register(Cadre)
class CadreAdmin(ScopedHistoryAdmin):
    list_display = [
        "name",
        "gender",
        "age",
        "masked_id",
        "retirement_kind",
        "unit",
        "political_status",
        "health",
        "living_situation",
        "status",
        "liaison",
    ]
    list_display_links = ["name"]
    list_filter = [
        "status",
        "retirement_kind",
        AgeBandFilter,
        "political_status",
        "health",
        "living_situation",
        "hardship",
        "gender",
        "celebrates_lunar_birthday",
        ("unit", ScopedRelatedFieldListFilter),
    ]
    list_select_related = ["unit", "liaison"]
    search_fields = ["name", "name_initials", "name_pinyin", "phone"]
    search_help_text = _(
        "Name, pinyin, pinyin initials (zs finds 张三), phone, or (for those who may see "
        "them) a whole ID number or its last four characters."
    )
    # Write-only ID number, and the duplicate checks of the staff site's form.
    form = CadreEntryForm
    # Admin gives every TextField a textarea; the number is one line.
    formfield_overrides = {EncryptedTextField: {"widget": AdminTextInputWidget}}
    autocomplete_fields = ["unit", "liaison", "account"]
    readonly_fields = ["name_pinyin", "name_initials", "created_at", "updated_at"]
    inlines = [FamilyContactInline]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = (
        (
            _("Basic facts"),
            {
                "fields": (
                    ("name", "gender", "ethnicity"),
                    ("birth_date", "celebrates_lunar_birthday"),
                    # Shown only with a same-name, same-birth-date warning to confirm.
                    "confirm_not_duplicate",
                    "id_number",
                    "photo",
                    ("name_pinyin", "name_initials"),
                )
            },
        ),
        (
            _("Retirement"),
            {
                "fields": (
                    ("retirement_kind", "retirement_date"),
                    "unit",
                    ("former_employer", "former_post", "rank"),
                )
            },
        ),
        (_("Politics"), {"fields": (("political_status", "party_joined_on"),)}),
        (
            _("Contact"),
            {"fields": (("phone", "residential_community"), "address", "liaison", "account")},
        ),
        (
            _("Health and living"),
            {
                "fields": (
                    ("health", "health_changed_on", "living_situation"),
                    "health_notes",
                    "hardship",
                    "hardship_notes",
                )
            },
        ),
        (
            _("Hobbies, activities and needs"),
            {"fields": ("hobbies", "learning_activities", "current_needs", "notes")},
        ),
        (
            _("Status"),
            {
                "fields": (
                    "status",
                    "died_on",
                    ("transferred_on", "transferred_to"),
                    ("created_at", "updated_at"),
                )
            },
        ),
    )

    @admin.display(description=_("resident ID number"))
    def masked_id(self, obj):
        return obj.masked_id_number

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The full pinyin is stored syllable by syllable: "zhangsan" finds "zhang san".
        letters = search_term.strip()
        if letters.isascii() and letters.replace(" ", "").isalpha():
            results = results | queryset.filter(pinyin_name_q(letters))
        term = search_term.strip().upper()
        if can_see_id_numbers(user=request.user) and ID_SEARCH.fullmatch(term):
            found = (
                queryset.with_id_number(term) if len(term) == 18 else queryset.with_id_tail(term)
            )
            results = results | found
        return results, may_have_duplicates

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedHistoryHelper(self.model, historical_record)

    @admin.display(description=_("age"), ordering="-birth_date")
    def age(self, obj):
        return obj.age_on(timezone.localdate())

    def has_delete_permission(self, request, obj=None):
        return False  # records are never hard-deleted: mark deceased or transferred

    def save_model(self, request, obj, form, change):
        cadre_prepare_for_save(cadre=obj)
        super().save_model(request, obj, form, change)


@admin.register(FamilyContact)
class FamilyContactAdmin(ScopedHistoryAdmin):
    unit_path = "cadre__unit"
    list_display = ["name", "relation", "cadre", "phone", "is_emergency_contact"]
    list_filter = ["relation", "is_emergency_contact"]
    list_select_related = ["cadre"]
    search_fields = ["name", "phone", "cadre__name", "cadre__name_initials"]
    autocomplete_fields = ["cadre"]


@admin.register(VisitOccasion)
class VisitOccasionAdmin(ScopedHistoryAdmin):
    unit_path = ()  # shared by every unit: visible to all, editable with permission
    list_display = ["name", "code", "is_mandatory", "sort_order", "is_active"]
    list_filter = ["is_mandatory", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}

    def has_delete_permission(self, request, obj=None):
        # Shared by every unit; deleting would list other units' visits. Deactivate instead.
        return request.user.is_superuser


@admin.register(Visit)
class VisitAdmin(ScopedHistoryAdmin):
    unit_path = "cadre__unit"
    list_display = [
        "cadre",
        "occasion",
        "status",
        "due_on",
        "visited_on",
        "mode",
        "condolence_money",
        "follow_up_needed",
        "heart_to_heart",
    ]
    list_filter = ["status", "occasion", "mode", "follow_up_needed", "heart_to_heart"]
    list_select_related = ["cadre", "occasion"]
    search_fields = ["cadre__name", "cadre__name_initials", "cadre__name_pinyin", "leaders"]
    autocomplete_fields = ["cadre", "visitors", "recorded_by"]
    date_hierarchy = "visited_on"
    list_per_page = 50
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("cadre", "occasion", ("status", "due_on", "visited_on"), "mode")}),
        (_("Who visited"), {"fields": ("visitors", "leaders")}),
        (_("Care given"), {"fields": (("condolence_money", "gifts"), "notes")}),
        (_("Heart-to-heart talk"), {"fields": ("heart_to_heart", "thoughts")}),
        (_("Follow-up"), {"fields": (("follow_up_needed", "follow_up_by"), "recorded_by")}),
        # The links are made by completing visits and resolving needs on the staff site.
        (None, {"fields": ("follow_up_of", "care_need", "cancellation_reason")}),
    )
    readonly_fields = ["follow_up_of", "care_need"]

    def get_fieldsets(self, request, obj=None):
        """思想动态 only for those who may read it (``can_read_thoughts``): on a new
        visit, whose cadre is not chosen yet, for bureau staff and administrators."""
        fieldsets = super().get_fieldsets(request, obj)
        if can_read_thoughts(user=request.user, cadre=obj.cadre if obj is not None else None):
            return fieldsets
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f != "thoughts")})
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CareNeed)
class CareNeedAdmin(ScopedHistoryAdmin):
    unit_path = "cadre__unit"
    list_display = ["cadre", "category", "channel", "raised_on", "due_on", "status", "assignee"]
    list_filter = ["status", "category", "channel"]
    list_select_related = ["cadre", "assignee"]
    search_fields = ["cadre__name", "cadre__name_initials", "description", "resolution"]
    autocomplete_fields = ["cadre", "assignee"]
    date_hierarchy = "raised_on"
    show_full_result_count = False


@admin.register(IdNumberDisclosure)
class IdNumberDisclosureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who was shown which cadre's full ID number, when: for administrators only."""

    list_display = ["disclosed_at", "user", "cadre", "client_address"]
    list_filter = ["disclosed_at"]
    list_select_related = ["user", "cadre"]
    search_fields = ["user__username", "user__full_name", "cadre__name", "cadre__name_initials"]
    date_hierarchy = "disclosed_at"
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_active and (user.is_superuser or user.role == User.Role.ADMINISTRATOR)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
