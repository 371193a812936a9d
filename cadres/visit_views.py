"""Pages of visits: the visit list and recording a visit, and visits as work items: a
visit's page and history, its edit form, the to-do list of planned visits (待办走访), and
completing, rescheduling and cancelling a planned visit. Each is limited to the user's
cadres (another unit's visit answers 404); the pages that record something answer 403 to
those who only read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.audit import history_entries
from accounts.models import User
from accounts.params import parse_id
from accounts.scoping import can_edit_registry, can_read_thoughts, require_editor

from . import visit_services
from .filter_forms import VisitFilterForm
from .models import CadreStatus, Visit
from .picking import chosen_cadre, preset_cadre
from .selectors import cadres_visible_to, registry_filter_choices, staff_visible_to
from .visit_forms import (
    VisitCancelForm,
    VisitCompleteForm,
    VisitEditForm,
    VisitForm,
    VisitRescheduleForm,
    VisitTodoFilterForm,
)
from .visit_selectors import visit_for, visit_list, visit_todo_list, visits_visible_to

PAGE_SIZE = 50


def _visit(request, pk: int) -> Visit:
    queryset = visits_visible_to(user=request.user).select_related(
        "cadre", "cadre__unit", "occasion", "follow_up_of", "care_need"
    )
    return get_object_or_404(queryset, pk=pk)


def _next_url(request, default: str) -> str:
    """Where to go after an action: the page it was opened from (``?next=``, a path of
    this site only), else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field where the form has
    one, else above the form."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _visitor_choices(request, visit: Visit):
    """The staff who may be named as visitors: the user's units' staff, and whoever is
    named already (bureau staff on a unit's visit), so that a save keeps them."""
    return User.objects.filter(
        Q(pk__in=staff_visible_to(user=request.user).values("pk"))
        | Q(pk__in=visit.visitors.values("pk"))
    ).order_by("full_name", "username")


def _refuse_unless_planned(request, visit: Visit):
    if visit.status == Visit.Status.PLANNED:
        return None
    messages.error(
        request,
        _("This visit is no longer planned (it is %(status)s): there is nothing to do.")
        % {"status": visit.get_status_display()},
    )
    return redirect(visit)


@login_required
def visit_detail(request, pk: int):
    visit = visit_for(user=request.user, pk=pk)
    return render(
        request,
        "cadres/visit_detail.html",
        {
            "visit": visit,
            "today": timezone.localdate(),
            "can_edit": can_edit_registry(user=request.user),
            "can_read_thoughts": can_read_thoughts(user=request.user, cadre=visit.cadre),
            "next": request.get_full_path(),
        },
    )


@login_required
def visit_history(request, pk: int):
    visit = _visit(request, pk)
    return render(
        request,
        "cadres/visit_history.html",
        {
            "visit": visit,
            "entries": history_entries(instance=visit),
            "can_edit": can_edit_registry(user=request.user),
        },
    )


@login_required
def visit_edit(request, pk: int):
    require_editor(user=request.user)
    visit = _visit(request, pk)
    form = VisitEditForm(
        request.POST or None,
        instance=visit,
        staff=_visitor_choices(request, visit),
        thoughts_user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect(visit)
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        visitors = changed.pop("visitors", None)
        try:
            visit_services.visit_update(visit=visit, by=request.user, visitors=visitors, **changed)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The visit record was saved."))
            return redirect(visit)
    return render(request, "cadres/visit_edit.html", {"form": form, "visit": visit})


@login_required
def visit_todo(request):
    """待办走访: the planned visits of the user's cadres, overdue first."""
    today = timezone.localdate()
    form = VisitTodoFilterForm(
        request.GET or None, staff=registry_filter_choices(user=request.user)["liaisons"]
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(
        visit_todo_list(user=request.user, filters=filters, today=today), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for visit in page:
        visit.days_overdue = (today - visit.due_on).days
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "cadres/visit_todo.html",
        {
            "form": form,
            "page": page,
            "query": keep.urlencode(),
            "today": today,
            "can_edit": can_edit_registry(user=request.user),
            "next": request.get_full_path(),
        },
    )


@login_required
def visit_complete(request, pk: int):
    """Complete a planned visit with the form that records a visit (from the to-do list,
    the cadre's page or a reminder's link)."""
    require_editor(user=request.user)
    visit = _visit(request, pk)
    refused = _refuse_unless_planned(request, visit)
    if refused:
        return refused
    form = VisitCompleteForm(
        request.POST or None,
        instance=visit,
        initial={"visited_on": timezone.localdate(), "visitors": [request.user]},
        staff=_visitor_choices(request, visit),
        thoughts_user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit_services.visit_complete(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The %(occasion)s visit to %(name)s is recorded as done.")
                % {"occasion": visit.occasion, "name": visit.cadre.name},
            )
            follow_up = visit.follow_ups.filter(status=Visit.Status.PLANNED).first()
            if follow_up is not None:
                messages.info(
                    request,
                    _("A follow-up visit is planned for %(date)s.")
                    % {"date": follow_up.due_on.isoformat()},
                )
            return redirect(_next_url(request, reverse("cadres:visit_todo")))
    return render(
        request,
        "cadres/visit_complete.html",
        {"form": form, "visit": visit, "next": _next_url(request, "")},
    )


@login_required
def visit_reschedule(request, pk: int):
    require_editor(user=request.user)
    visit = _visit(request, pk)
    refused = _refuse_unless_planned(request, visit)
    if refused:
        return refused
    form = VisitRescheduleForm(request.POST or None, initial={"due_on": visit.due_on})
    if request.method == "POST" and form.is_valid():
        try:
            visit_services.visit_reschedule(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The visit to %(name)s is now due on %(date)s.")
                % {"name": visit.cadre.name, "date": visit.due_on.isoformat()},
            )
            return redirect(_next_url(request, reverse("cadres:visit_todo")))
    return render(
        request,
        "cadres/visit_action.html",
        {"form": form, "visit": visit, "action": "reschedule", "next": _next_url(request, "")},
    )


@login_required
def visit_cancel(request, pk: int):
    require_editor(user=request.user)
    visit = _visit(request, pk)
    refused = _refuse_unless_planned(request, visit)
    if refused:
        return refused
    form = VisitCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit_services.visit_cancel(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The visit to %(name)s is cancelled.") % {"name": visit.cadre.name}
            )
            return redirect(_next_url(request, reverse("cadres:visit_todo")))
    return render(
        request,
        "cadres/visit_action.html",
        {"form": form, "visit": visit, "action": "cancel", "next": _next_url(request, "")},
    )


@login_required
def visits(request):
    form = VisitFilterForm(
        request.GET or None,
        units=registry_filter_choices(user=request.user)["units"],
        staff=staff_visible_to(user=request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(visit_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "cadres/visits.html",
        {
            "form": form,
            "page": page,
            "query": keep.urlencode(),
            "can_edit": can_edit_registry(user=request.user),
        },
    )


@login_required
def visit_new(request):
    require_editor(user=request.user)
    # Any of the user's cadres may be posted, so that one who has died or been
    # transferred out is refused by visit_record with its reason, not as "not yours".
    cadres = cadres_visible_to(user=request.user)
    initial = {"visited_on": timezone.localdate(), "visitors": [request.user]}
    occasion = parse_id(request.GET.get("occasion"))  # e.g. from a holiday campaign
    if occasion is not None:
        initial["occasion"] = occasion
    preset = preset_cadre(request, cadres, initial)
    if preset is not None and preset.status != CadreStatus.ON_REGISTER:
        # Their planned visits (the condolence visit) are completed from their page.
        messages.error(request, visit_services.new_visit_refusal(cadre=preset))
        return redirect(preset)
    form = VisitForm(
        request.POST or None,
        initial=initial,
        cadres=cadres,
        staff=staff_visible_to(user=request.user),
        thoughts_user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            visit = visit_services.visit_record(by=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The visit to %(name)s has been recorded.") % {"name": visit.cadre.name},
            )
            return redirect(visit.cadre.get_absolute_url())
    preset = preset or chosen_cadre(form, cadres)
    return render(request, "cadres/visit_form.html", {"form": form, "preset": preset})
