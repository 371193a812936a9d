"""Pages of the money: each unit's lines with budget, spent, committed and remaining; a
line's page with what it counts and its adjustments; expenses; the standards and the
budget's computation (administrators); the remaining budget beside the visit form.

Branch secretaries handle no money: every page answers them 403. Another unit's line
or expense answers 404.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import history_entries
from accounts.models import Unit, User
from accounts.params import parse_date, parse_id
from accounts.scoping import scope_queryset
from cadres.models import Cadre, Visit, VisitOccasion

from . import services
from .budget import budget_compute
from .forms import (
    AdjustmentForm,
    ComputeForm,
    CopyStandardsForm,
    ExpenseFilterForm,
    ExpenseForm,
    NewLineForm,
    StandardForm,
    VoidForm,
    read_year,
)
from .models import BudgetComputation, BudgetLine, Expense, Standard
from .roles import (
    can_adjust_budget,
    can_manage_standards,
    can_override_budget,
    can_read_funds,
)
from .selectors import (
    VISIT_MONEY,
    done_visit_money,
    line_figure,
    line_figures_for,
    year_range,
)
from .totals import Totals, grouped_by_unit

PAGE_SIZE = 50


def _require_reader(user: User) -> None:
    if not can_read_funds(user=user):
        raise PermissionDenied


def _require_standards_manager(user: User) -> None:
    if not can_manage_standards(user=user):
        raise PermissionDenied


def _require_adjuster(user: User) -> None:
    if not can_adjust_budget(user=user):
        raise PermissionDenied


def _units(user: User):
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
    _require_reader(request.user)
    today = timezone.localdate()
    year_form, year = read_year(request.GET, today=today)
    units = _units(request.user)
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
    _require_reader(request.user)
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
        {"line": line, "entries": history_entries(instance=line)},
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
    form = NewLineForm(request.POST or None, units=_units(request.user))
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


# --- Standards and the computation (administrators) -------------------------------------


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


# --- Expenses ---------------------------------------------------------------------------


def _expenses(user: User):
    return scope_queryset(Expense.objects.all(), user=user, unit_path="unit")


@login_required
def expenses(request):
    _require_reader(request.user)
    today = timezone.localdate()
    year_form, year = read_year(request.GET, today=today)
    units = _units(request.user)
    filters = ExpenseFilterForm(request.GET or None, units=units)
    start, end = year_range(year)
    rows = _expenses(request.user).filter(spent_on__range=(start, end))
    if filters.is_bound and filters.is_valid():
        if filters.cleaned_data["unit"]:
            rows = rows.filter(unit=filters.cleaned_data["unit"])
        if filters.cleaned_data["line_code"]:
            rows = rows.filter(line_code=filters.cleaned_data["line_code"])
    rows = rows.select_related("unit", "line", "line__occasion", "recorded_by")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/expenses.html",
        {"year_form": year_form, "year": year, "filters": filters, "page": page},
    )


@login_required
def expense_new(request):
    _require_reader(request.user)
    may_override = can_override_budget(user=request.user)
    units = _units(request.user)
    initial = {"spent_on": timezone.localdate()}
    if request.user.unit_id and units.filter(pk=request.user.unit_id).exists():
        initial["unit"] = request.user.unit_id
    form = ExpenseForm(
        request.POST or None, units=units, may_override=may_override, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            expense = services.expense_record(
                user=request.user,
                unit=data["unit"],
                line_code=data["line_code"],
                spent_on=data["spent_on"],
                amount=data["amount"],
                payee=data["payee"],
                note=data["note"],
                source=data["source"],
                overspend_reason=data.get("overspend_reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if expense.line is None:
                messages.warning(
                    request,
                    _("Recorded as unbudgeted spending: %(unit)s has no such line for %(year)s.")
                    % {"unit": expense.unit, "year": expense.spent_on.year},
                )
            else:
                messages.success(request, _("The expense is recorded."))
            return redirect(expense)
    figures = None
    if form.is_bound and form.is_valid() is False and "amount" in form.errors:
        data = form.cleaned_data
        if data.get("unit") and data.get("line_code") and data.get("spent_on"):
            figures = line_figure(
                unit=data["unit"], code=data["line_code"], year=data["spent_on"].year
            )
    return render(
        request,
        "funds/expense_form.html",
        {"form": form, "figures": figures, "may_override": may_override},
    )


def _expense(request, pk: int) -> Expense:
    _require_reader(request.user)
    return get_object_or_404(
        _expenses(request.user).select_related("unit", "line", "line__occasion", "recorded_by"),
        pk=pk,
    )


@login_required
def expense_detail(request, pk: int):
    expense = _expense(request, pk)
    return render(
        request,
        "funds/expense_detail.html",
        {
            "expense": expense,
            "entries": history_entries(instance=expense),
            "void_form": VoidForm() if not expense.is_void else None,
        },
    )


@login_required
def expense_void(request, pk: int):
    expense = _expense(request, pk)
    if request.method != "POST":
        return expense_detail(request, pk)  # the form is on the expense's page
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.expense_void(
                expense=expense, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The expense is void."))
    else:
        messages.error(request, _("Give the reason for voiding."))
    return redirect(expense)


# --- Beside the visit form --------------------------------------------------------------


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value or "0").strip() or "0")
    except (InvalidOperation, ValueError):
        return Decimal("0")
    if not amount.is_finite() or amount < 0 or amount > Decimal("99999999"):
        return Decimal("0")
    return amount.quantize(Decimal("0.01"))


@login_required
def visit_budget(request):
    """htmx: the remaining budget of the visit's unit and occasion for its year, and a
    warning (it does not refuse) if the money and gifts typed would overspend it.

    Read from the visit form's fields: ``cadre`` and ``occasion`` (or the ``visit``
    being completed or corrected), ``visited_on`` (else ``due_on``, else today),
    ``condolence_money`` and ``gifts_value``."""
    _require_reader(request.user)
    params = request.GET
    visit = None
    visit_id = parse_id(params.get("visit"))
    cadres = scope_queryset(
        Cadre.objects.select_related("unit"), user=request.user, unit_path="unit", cadre_path=""
    )
    if visit_id is not None:
        visit = (
            Visit.objects.filter(pk=visit_id, cadre__in=cadres)
            .select_related("cadre__unit", "occasion")
            .first()
        )
    cadre = visit.cadre if visit else None
    cadre_id = parse_id(params.get("cadre"))
    if cadre_id is not None:
        cadre = cadres.filter(pk=cadre_id).first()
    occasion = visit.occasion if visit else None
    occasion_id = parse_id(params.get("occasion"))
    if occasion_id is not None:
        occasion = VisitOccasion.objects.filter(pk=occasion_id).first()
    if cadre is None or occasion is None:
        return render(request, "funds/_visit_budget.html", {})
    day = (
        parse_date(params.get("visited_on"))
        or parse_date(params.get("due_on"))
        or (visit.visited_on or visit.due_on if visit else None)
        or timezone.localdate()
    )
    figures = line_figure(unit=cadre.unit, code=occasion.code, year=day.year)
    amount = _money(params.get("condolence_money")) + _money(params.get("gifts_value"))
    # Correcting a done visit: its own money is already in the spent figure.
    already = Decimal("0")
    counted = (
        visit is not None
        and visit.status == Visit.Status.DONE
        and visit.visited_on is not None
        and visit.visited_on.year == day.year
        and visit.occasion_id == occasion.pk
        and visit.cadre.unit_id == cadre.unit_id
    )
    if counted:
        already = visit.condolence_money + visit.gifts_value
    after = figures.remaining + already - amount
    return render(
        request,
        "funds/_visit_budget.html",
        {
            "figures": figures,
            "remaining": figures.remaining + already,
            "amount": amount,
            "after": after,
            "overspends": figures.is_budgeted and amount > 0 and after < 0,
        },
    )
