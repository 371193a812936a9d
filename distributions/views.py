from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.forms import form_add_service_errors
from accounts.params import parse_search
from accounts.scoping import can_edit_registry, require_editor

from .forms import (
    BranchDeliveryForm,
    CadresDeliveryForm,
    CoverageFilterForm,
    DistributionForm,
    ListFilterForm,
    MeetingDeliveryForm,
)
from .models import Distribution
from .selectors import (
    activities_to_choose,
    audience_rows,
    branches_to_choose,
    coverage_report,
    deliveries_visible_to,
    distribution_list,
    distribution_progress,
    distributions_editable_by,
    distributions_visible_to,
    meetings_to_choose,
    units_to_issue,
)
from .services import (
    deliveries_record,
    deliveries_record_for_activity,
    deliveries_record_for_branch,
    deliveries_record_for_meeting,
    delivery_undo,
    distribution_create,
    distribution_update,
)

PAGE_SIZE = 50


@login_required
def distribution_index(request):
    """阅文、通报、报刊、学习资料: the distributions of the user's units and the bureau."""
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    form = ListFilterForm(data, units=units_to_issue(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {"year": today.year}
    rows = distribution_list(user=request.user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "distributions/list.html",
        {"form": form, "page": page, "can_edit": can_edit_registry(user=request.user)},
    )


def _distribution_form(request, instance=None):
    return DistributionForm(
        request.POST or None,
        instance=instance,
        initial=None if instance else _new_initial(request),
        units=units_to_issue(user=request.user),
        branches=branches_to_choose(user=request.user),
    )


def _new_initial(request) -> dict:
    today = timezone.localdate()
    return {"issued_on": today, "year": today.year, "unit": request.user.unit_id}


@login_required
def distribution_new(request):
    require_editor(user=request.user)
    form = _distribution_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            distribution = distribution_create(by=request.user, **form.service_fields())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("%(title)s is recorded.") % {"title": distribution})
            return redirect(distribution)
    return render(request, "distributions/form.html", {"form": form, "distribution": None})


@login_required
def distribution_edit(request, pk: int):
    require_editor(user=request.user)
    distribution = get_object_or_404(distributions_editable_by(user=request.user), pk=pk)
    form = _distribution_form(request, instance=distribution)
    if request.method == "POST" and form.is_valid():
        try:
            distribution_update(by=request.user, distribution=distribution, **form.service_fields())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("%(title)s is saved.") % {"title": distribution})
            return redirect(distribution)
    return render(request, "distributions/form.html", {"form": form, "distribution": distribution})


@login_required
def distribution_detail(request, pk: int):
    distribution = get_object_or_404(
        distributions_visible_to(user=request.user).select_related("unit", "branch"), pk=pk
    )
    deliveries = (
        deliveries_visible_to(user=request.user)
        .filter(distribution=distribution)
        .select_related("cadre__unit", "delivered_by", "branch_meeting__branch", "activity")
    )
    return render(
        request,
        "distributions/detail.html",
        {
            "distribution": distribution,
            "progress": distribution_progress(distribution=distribution, user=request.user),
            "page": Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_edit": can_edit_registry(user=request.user),
            "can_change": distributions_editable_by(user=request.user)
            .filter(pk=distribution.pk)
            .exists(),
        },
    )


@login_required
def distribution_deliver(request, pk: int):
    """Tick deliveries: cadres one by one, a whole branch, or a meeting's attendees."""
    require_editor(user=request.user)
    distribution = get_object_or_404(distributions_visible_to(user=request.user), pk=pk)
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "cadres": CadresDeliveryForm(request.POST if action == "cadres" else None),
        "branch": BranchDeliveryForm(
            request.POST if action == "branch" else None, branches=branches_to_choose(user=user)
        ),
        "meeting": MeetingDeliveryForm(
            request.POST if action == "meeting" else None,
            meetings=meetings_to_choose(user=user, year=distribution.year),
            activities=activities_to_choose(user=user, year=distribution.year),
        ),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        try:
            count = _record(action, user, distribution, form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d deliveries recorded for %(title)s.")
                % {"count": count, "title": distribution},
            )
            return redirect("distributions:deliver", pk=distribution.pk)
    search = parse_search(request.GET.get("q"))
    rows = audience_rows(distribution=distribution, user=user, reached=False, search=search)
    return render(
        request,
        "distributions/deliver.html",
        {
            "distribution": distribution,
            "progress": distribution_progress(distribution=distribution, user=user),
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "q": search,
            "forms": forms,
            "action": action,
            "ticked": set(forms["cadres"]["cadres"].value() or []) if action == "cadres" else set(),
        },
    )


def _record(action: str, user, distribution: Distribution, data: dict) -> int:
    if action == "cadres":
        return deliveries_record(
            by=user,
            distribution=distribution,
            cadre_ids=data["cadres"],
            way=data["way"],
            delivered_on=data["delivered_on"],
            notes=data["notes"],
        )
    if action == "branch":
        return deliveries_record_for_branch(
            by=user,
            distribution=distribution,
            branch=data["branch"],
            way=data["way"],
            delivered_on=data["delivered_on"],
            notes=data["notes"],
        )
    if data.get("meeting"):
        return deliveries_record_for_meeting(
            by=user, distribution=distribution, meeting=data["meeting"], notes=data["notes"]
        )
    return deliveries_record_for_activity(
        by=user, distribution=distribution, activity=data["activity"], notes=data["notes"]
    )


@login_required
def delivery_undo_confirm(request, pk: int):
    require_editor(user=request.user)
    delivery = get_object_or_404(
        deliveries_visible_to(user=request.user).select_related("distribution", "cadre"), pk=pk
    )
    if request.method == "POST":
        delivery_undo(by=request.user, delivery=delivery)
        messages.success(
            request,
            _("The delivery of %(title)s to %(name)s is undone.")
            % {"title": delivery.distribution, "name": delivery.cadre},
        )
        return redirect(delivery.distribution)
    return render(request, "distributions/undo_confirm.html", {"delivery": delivery})


def coverage_filters(request):
    """The coverage filters of the query string (by default this quarter) and the report
    they select: the page and its .xlsx show the same report."""
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    if "quarter" not in request.GET:
        data["quarter"] = str((today.month - 1) // 3 + 1)
    form = CoverageFilterForm(data, units=units_to_issue(user=request.user))
    if form.is_valid():
        filters = form.cleaned_data
    else:
        filters = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    report = coverage_report(
        user=request.user,
        year=filters["year"],
        quarter=filters.get("quarter"),
        unit_id=filters["unit"].pk if filters.get("unit") else None,
        kind=filters.get("kind") or "",
    )
    return form, filters, report


@login_required
def coverage(request):
    """Who received nothing in the quarter, by unit, homebound cadres first."""
    form, filters, report = coverage_filters(request)
    return render(
        request,
        "distributions/coverage.html",
        {
            **report,
            "form": form,
            "filters": filters,
            "page": Paginator(report["missed"], PAGE_SIZE).get_page(request.GET.get("page")),
            "today": timezone.localdate(),
            "query": request.GET.urlencode(),
        },
    )
