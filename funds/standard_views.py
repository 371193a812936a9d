"""Pages of the standards and of the budget's computation from the register: for
administrators only (403 to everyone else)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from . import services
from .budget import budget_compute
from .forms import (
    ComputeForm,
    CopyStandardsForm,
    StandardForm,
    read_year,
)
from .models import BudgetComputation, Standard
from .roles import can_manage_standards
from .views import add_service_errors


def _require_standards_manager(user: User) -> None:
    if not can_manage_standards(user=user):
        raise PermissionDenied


@login_required
def standards(request):
    _require_standards_manager(request.user)
    today = timezone.localdate()
    year_form, year = read_year(request.GET, today=today)
    form = StandardForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_save(user=request.user, standard=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The standard is saved."))
            return redirect(f"{reverse('funds:standards')}?year={year}")
    other_years = sorted(
        set(Standard.objects.exclude(year=year).values_list("year", flat=True)), reverse=True
    )
    rows = Standard.objects.filter(year=year).select_related("occasion")
    return render(
        request,
        "funds/standards.html",
        {
            "year_form": year_form,
            "year": year,
            "standards": rows,
            "form": form,
            "copy_form": CopyStandardsForm(years=other_years) if other_years and not rows else None,
        },
    )


@login_required
def standard_edit(request, pk: int):
    _require_standards_manager(request.user)
    standard = get_object_or_404(Standard.objects.select_related("occasion"), pk=pk)
    form = StandardForm(request.POST or None, instance=standard, year=standard.year)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_save(user=request.user, standard=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The standard is saved."))
            return redirect(f"{reverse('funds:standards')}?year={standard.year}")
    return render(request, "funds/standard_edit.html", {"form": form, "standard": standard})


@login_required
def standard_delete(request, pk: int):
    _require_standards_manager(request.user)
    standard = get_object_or_404(Standard.objects.select_related("occasion"), pk=pk)
    if request.method == "POST":
        year = standard.year
        services.standard_delete(user=request.user, standard=standard)
        messages.success(request, _("The standard is removed."))
        return redirect(f"{reverse('funds:standards')}?year={year}")
    return render(request, "funds/standard_delete.html", {"standard": standard})


@login_required
def standards_copy(request):
    _require_standards_manager(request.user)
    today = timezone.localdate()
    _form, year = read_year(request.GET, today=today)
    if request.method != "POST":
        return redirect(f"{reverse('funds:standards')}?year={year}")
    years = list(Standard.objects.values_list("year", flat=True).distinct())
    form = CopyStandardsForm(request.POST, years=years)
    if form.is_valid():
        try:
            count = services.standards_copy_year(
                user=request.user, from_year=form.cleaned_data["from_year"], to_year=year
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s standards copied.") % {"count": count})
    return redirect(f"{reverse('funds:standards')}?year={year}")


@login_required
def compute(request):
    """The budget the standards give on a day of the register, beside the lines as they
    are, with the difference; applied only when confirmed."""
    _require_standards_manager(request.user)
    today = timezone.localdate()
    year_form, year = read_year(request.GET, today=today)
    data = request.POST if request.method == "POST" else request.GET
    default_day = min(today, datetime.date(year, 12, 31))
    form = ComputeForm(data if "register_date" in data else None)
    preview = None
    if form.is_bound and form.is_valid():
        register_date = form.cleaned_data["register_date"]
        if request.method == "POST":
            try:
                computation = services.budget_apply(
                    user=request.user,
                    year=year,
                    register_date=register_date,
                    digest=request.POST.get("digest", ""),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("The %(year)s budget is computed: %(count)s lines changed.")
                    % {"year": year, "count": computation.lines_changed},
                )
                return redirect(f"{reverse('funds:overview')}?year={year}")
        preview = budget_compute(year=year, register_date=register_date)
    elif not form.is_bound:
        form = ComputeForm(initial={"register_date": default_day})
    return render(
        request,
        "funds/compute.html",
        {
            "year_form": year_form,
            "year": year,
            "form": form,
            "preview": preview,
            "computation": BudgetComputation.objects.filter(year=year)
            .select_related("applied_by")
            .first(),
        },
    )
