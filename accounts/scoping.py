"""The one place that answers "which records may this user see?".

Bureau staff and administrators see the whole registry; unit staff see the cadres of
their unit and of every unit below it; a branch secretary reads the members of the
branches they lead (through the cadre record linked to their login). Querysets of any app
are narrowed by naming the path from the model to its unit (``"unit"``,
``"cadre__unit"``, ``"branch__unit"``) and, where the record belongs to a cadre or a
branch, the path to that (``cadre_path="cadre"``, ``branch_path="branch"``), so this
module needs to import none of those apps.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Unit, User

UNRESTRICTED_ROLES = {User.Role.ADMINISTRATOR, User.Role.BUREAU_STAFF}
# The branch roles (``BranchRole.role`` values) that let a secretary's login read a branch.
BRANCH_LEADING_ROLES = ("secretary", "deputy")


def unit_subtree_ids(*, unit_id: int) -> set[int]:
    """The unit and all its descendants, in one query (a bureau has hundreds of units
    at most, so the whole tree is read and walked in memory)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found = {unit_id}
    stack = [unit_id]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def visible_unit_ids(*, user: User) -> set[int] | None:
    """Ids of the units whose records the user may see; ``None`` means every unit."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser or user.role in UNRESTRICTED_ROLES:
        return None
    if user.unit_id is None:
        return set()
    cache = getattr(user, "_visible_unit_ids", None)
    if cache is None:
        cache = unit_subtree_ids(unit_id=user.unit_id)
        user._visible_unit_ids = cache
    return cache


def reads_by_branch(*, user: User) -> bool:
    """Branch secretaries read the branches they lead rather than a unit."""
    return (
        user.is_authenticated and not user.is_superuser and user.role == User.Role.BRANCH_SECRETARY
    )


def _led_rows(user: User) -> QuerySet:
    # One query over reverse relations: login → cadre → current leading roles.
    return User.objects.filter(
        pk=user.pk,
        is_active=True,
        cadre__branch_roles__ended_on__isnull=True,
        cadre__branch_roles__role__in=BRANCH_LEADING_ROLES,
    )


def led_branch_ids(*, user: User) -> set[int]:
    """Ids of the branches the user currently leads as secretary or deputy."""
    cache = getattr(user, "_led_branch_ids", None)
    if cache is None:
        cache = set(_led_rows(user).values_list("cadre__branch_roles__branch_id", flat=True))
        user._led_branch_ids = cache
    return cache


def branch_member_ids(*, user: User) -> set[int]:
    """Ids of the cadres who currently hold any role in the branches the user leads."""
    cache = getattr(user, "_branch_member_ids", None)
    if cache is None:
        cache = set(
            _led_rows(user)
            .filter(cadre__branch_roles__branch__roles__ended_on__isnull=True)
            .values_list("cadre__branch_roles__branch__roles__cadre_id", flat=True)
        )
        user._branch_member_ids = cache
    return cache


def scope_queryset(
    queryset: QuerySet,
    *,
    user: User,
    unit_path: str | tuple[str, ...],
    cadre_path: str | None = None,
    branch_path: str | None = None,
) -> QuerySet:
    """Narrow ``queryset`` to the rows the user may see.

    ``unit_path`` is the lookup from the model to its unit (``""`` for the Unit model
    itself), or several such lookups of which any may match (an honour goes to a cadre, a
    branch or a team). For a branch secretary, a record that belongs to a branch
    (``branch_path``) or to a cadre (``cadre_path``; ``""`` for the Cadre model itself) is
    visible when it is of a branch they lead or of one of its members; records with
    neither path fall back to the unit.
    """
    condition = scope_filter(
        user=user, unit_path=unit_path, cadre_path=cadre_path, branch_path=branch_path
    )
    return queryset.filter(condition) if condition else queryset


def scope_filter(
    *,
    user: User,
    unit_path: str | tuple[str, ...],
    cadre_path: str | None = None,
    branch_path: str | None = None,
) -> Q:
    """The condition ``scope_queryset`` applies, for reads that are not a queryset of the
    model itself (the reminder rules' light cadre rows, a subquery): an empty ``Q()``
    (false in ``if``) when the user sees every row."""
    if reads_by_branch(user=user):
        if branch_path is not None:
            return Q(**{_in(branch_path): led_branch_ids(user=user)})
        if cadre_path is not None:
            return Q(**{_in(cadre_path): branch_member_ids(user=user)})
    unit_ids = visible_unit_ids(user=user)
    if unit_ids is None:
        return Q()
    paths = (unit_path,) if isinstance(unit_path, str) else unit_path
    condition = Q()
    for path in paths:
        condition |= Q(**{_in(path): unit_ids})
    return condition


def _in(path: str) -> str:
    return f"{path}__in" if path else "pk__in"


class _ScopedChoicesForm:
    """Refuses a newly chosen related record outside the user's units, while keeping
    the values already on the record (an institutional branch under the bureau's general
    branch, a visit with bureau staff among the visitors) untouched on save."""

    scope_user: User | None = None

    def clean(self):
        cleaned = super().clean()
        for name in self.changed_data:
            field = self.fields.get(name)
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            related_admin = admin.site._registry.get(queryset.model)
            if not isinstance(related_admin, UnitScopedAdminMixin):
                continue
            chosen = _pks(cleaned.get(name))
            new = chosen - _pks(self.initial.get(name))
            if not new:
                continue
            visible = scope_queryset(
                queryset.model._default_manager.filter(pk__in=new),
                user=self.scope_user,
                unit_path=related_admin.unit_path,
            ).count()
            if visible != len(new):
                self.add_error(name, _("You may only choose records of your own units."))
        return cleaned


def _pks(value) -> set:
    if value is None or value == "":
        return set()
    if isinstance(value, list | tuple | set | QuerySet):
        return {getattr(item, "pk", item) for item in value}
    return {getattr(value, "pk", value)}


def _scoped_form(form_class, user):
    return type(form_class.__name__, (_ScopedChoicesForm, form_class), {"scope_user": user})


class ScopedChoicesAdminMixin:
    """Admin forms (and inline formsets) that refuse related records of other units."""

    def get_form(self, request, obj=None, **kwargs):
        return _scoped_form(super().get_form(request, obj, **kwargs), request.user)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _scoped_form(formset.form, request.user)
        return formset


class UnitScopedAdminMixin(ScopedChoicesAdminMixin):
    """Django admin limited to the user's unit subtree for non-superusers, exactly as
    the staff site's pages for unit staff: the changelist, the change, delete and
    history pages, autocomplete results (which offer only visible records), and the
    related records a form may newly choose. Branch secretaries have no admin at all
    (``can_use_admin``)."""

    unit_path: str = "unit"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not can_use_admin(user=request.user):
            # The admin site turns them away first; this holds should a view be reached
            # some other way (a branch secretary's scope is not their unit).
            return queryset.none()
        return scope_queryset(queryset, user=request.user, unit_path=self.unit_path)

    def _require_visible(self, request, object_id) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    # django-simple-history falls back to the history rows when the object is outside
    # the queryset; answer 404 instead, as the change page does.
    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


class ScopedHistoryAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    """The base of every registry admin: unit scoping plus the history tab."""


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A sidebar filter on a related model that lists only the rows the user may see
    (another unit's name is not shown to unit staff)."""

    def field_choices(self, field, request, model_admin):
        related_admin = model_admin.admin_site._registry.get(field.related_model)
        queryset = field.related_model._default_manager.all()
        if isinstance(related_admin, UnitScopedAdminMixin):
            queryset = scope_queryset(
                queryset, user=request.user, unit_path=related_admin.unit_path
            )
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


def can_see_id_numbers(*, user: User) -> bool:
    """Full resident ID numbers are shown to administrators and bureau staff; everyone
    else sees them masked."""
    return user.is_superuser or user.role in UNRESTRICTED_ROLES


def can_read_thoughts(*, user: User, cadre) -> bool:
    """思想动态, the private note of a heart-to-heart talk (谈心谈话), is read — and
    written — by bureau staff, administrators and the cadre's own liaison only: not by
    other unit staff, nor by branch secretaries. ``cadre`` is anything with a
    ``liaison_id`` (a Cadre)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.role in UNRESTRICTED_ROLES:
        return True
    if user.role == User.Role.BRANCH_SECRETARY:
        return False
    return cadre is not None and cadre.liaison_id is not None and cadre.liaison_id == user.pk


def may_write_any_thoughts(*, user: User) -> bool:
    """Whether a form for a cadre not yet chosen offers the note at all: to those who may
    read every note, and to staff who are someone's liaison (the form then refuses a
    note on a cadre whose liaison they are not)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.role in UNRESTRICTED_ROLES:
        return True
    return user.role != User.Role.BRANCH_SECRETARY and user.liaison_cadres.exists()


def can_edit_registry(*, user: User) -> bool:
    """Branch secretaries read; unit staff, bureau staff and administrators record."""
    return user.is_superuser or user.role != User.Role.BRANCH_SECRETARY


def can_use_admin(*, user: User) -> bool:
    """Who may enter Django admin: active staff logins, except branch secretaries.

    A branch secretary reads the branches they lead on the staff site and has no admin
    access at all, whatever ``is_staff`` or permissions their login carries: admin
    scopes by unit, and a secretary's scope is their branches' members, not their unit.
    Unit staff use admin within their unit subtree (``UnitScopedAdminMixin``), exactly
    as on the staff site; bureau staff and administrators see every unit."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.role != User.Role.BRANCH_SECRETARY


def require_editor(*, user: User) -> None:
    """A page that records something answers 403 to those who only read."""
    if not can_edit_registry(user=user):
        raise PermissionDenied


class ReadOnlyAdminMixin:
    """An admin for records that are evidence (the export log, import jobs): listed and
    read, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
