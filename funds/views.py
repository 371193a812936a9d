"""Pages of the budget lines: each unit's lines of a year with budget, spent, committed
and remaining (the bureau sees every unit); a line's page with the visits and expenses
it counts, its adjustments and history; adjusting a line (the bureau). The standards and
the computation are in ``standard_views``, expenses and the visit form's remaining
budget in ``expense_views``, the reports in ``report_views``.

Branch secretaries handle no money: every page answers them 403. Another unit's line
or expense answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import history_entries
from accounts.models import Unit, User
from accounts.params import parse_id
from accounts.scoping import scope_queryset
from cadres.models import Visit

from . import services
from .forms import (
    AdjustmentForm,
    NewLineForm,
    read_year,
)
from .models import BudgetComputation, BudgetLine, Expense
from .roles import (
    can_adjust_budget,
    can_manage_standards,
    can_read_funds,
)
from .selectors import (
    VISIT_MONEY,
    done_visit_money,
    line_figure,
    line_figures_for,
    line_name,
    year_range,
)
from .totals import Totals, grouped_by_unit

PAGE_SIZE = 50


def require_reader(user: User) -> None:
    if not can_read_funds(user=user):
        raise PermissionDenied


def _require_adjuster(user: User) -> None:
    if not can_adjust_budget(user=user):
        raise PermissionDenied


def units_of(user: User):
    return scope_queryset(Unit.objects.filter(is_active=True), user=user, unit_path="")


def add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# --- Budget lines -----------------------------------------------------------------------


@login_required
def overview(request):
    """Each unit's lines of a year: budget, spent, committed, remaining."""
    require_reader(request.user)
    today = timezone.localdate()
    year_form, year = read_year(request.GET, today=today)
    units = units_of(request.user)
    unit_id = parse_id(request.GET.get("unit"))
    if unit_id is not None and not units.filter(pk=unit_id).exists():
        unit_id = None
    rows = line_figures_for(user=request.user, year=year, unit_id=unit_id)
    return render(
        request,
        "funds/overview.html",
        {
            "year_form": year_form,
            "year": year,
            "units": units,
            "unit_id": unit_id,
            "groups": grouped_by_unit(rows),
            "total": Totals.of(rows),
            "computation": BudgetComputation.objects.filter(year=year).first(),
            "can_manage_standards": can_manage_standards(user=request.user),
            "can_adjust": can_adjust_budget(user=request.user),
        },
    )


def _line(request, pk: int) -> BudgetLine:
    require_reader(request.user)
    lines = scope_queryset(BudgetLine.objects.all(), user=request.user, unit_path="unit")
    return get_object_or_404(lines.select_related("unit", "occasion"), pk=pk)


@login_required
def line_detail(request, pk: int):
    """A line's figures, the visits and expenses it counts, and its adjustments."""
    line = _line(request, pk)
    figures = line_figure(unit=line.unit, code=line.code, year=line.year)
    start, end = year_range(line.year)
    visits = (
        done_visit_money(
            Visit.objects.filter(
                cadre__unit=line.unit, occasion__code=line.code, visited_on__range=(start, end)
            )
        )
        .select_related("cadre")
        .annotate(money=VISIT_MONEY)
        .order_by("-visited_on", "-id")
    )
    expenses = Expense.objects.filter(
        unit=line.unit, line_code=line.code, spent_on__range=(start, end)
    ).select_related("recorded_by")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/line_detail.html",
        {
            "line": line,
            "figures": figures,
            "visits": page,
            "expenses": expenses,
            "adjustments": line.adjustments.select_related("made_by"),
            "form": AdjustmentForm() if can_adjust_budget(user=request.user) else None,
        },
    )


@login_required
def line_history(request, pk: int):
    line = _line(request, pk)
    return render(
        request,
        "funds/line_history.html",
        {"line": line, "entries": history_entries(instance=line, masks={"code": line_name})},
    )


@login_required
def line_adjust(request, pk: int):
    _require_adjuster(request.user)
    line = _line(request, pk)
    if request.method != "POST":
        return line_detail(request, pk)  # the form is on the line's page
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            services.budget_line_adjust(user=request.user, line=line, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The budget line is adjusted."))
            return redirect(line)
    figures = line_figure(unit=line.unit, code=line.code, year=line.year)
    return render(
        request,
        "funds/line_detail.html",
        {
            "line": line,
            "figures": figures,
            "visits": None,
            "expenses": Expense.objects.none(),
            "adjustments": line.adjustments.select_related("made_by"),
            "form": form,
        },
        status=400,
    )


@login_required
def line_new(request):
    """A budget for a line the standards do not compute, or more for any line."""
    _require_adjuster(request.user)
    today = timezone.localdate()
    year_form, year = read_year(request.GET, today=today)
    form = NewLineForm(request.POST or None, units=units_of(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            adjustment = services.budget_line_adjust(
                user=request.user,
                unit=data["unit"],
                code=data["code"],
                year=year,
                amount=data["amount"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The budget line is adjusted."))
            return redirect(adjustment.line)
    return render(
        request, "funds/line_new.html", {"form": form, "year_form": year_form, "year": year}
    )
