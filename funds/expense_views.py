"""Pages of expenses (spending that is not a visit's), and the remaining budget shown
beside the visit form as the money is typed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import history_entries
from accounts.models import User
from accounts.params import parse_date, parse_id
from accounts.scoping import scope_queryset
from cadres.models import Cadre, Visit, VisitOccasion

from . import services
from .forms import (
    ExpenseFilterForm,
    ExpenseForm,
    VoidForm,
    read_year,
)
from .models import Expense
from .roles import (
    can_override_budget,
)
from .selectors import (
    line_figure,
    line_name,
    year_range,
)
from .views import add_service_errors, require_reader, units_of

PAGE_SIZE = 50


def _expenses(user: User):
    return scope_queryset(Expense.objects.all(), user=user, unit_path="unit")


@login_required
def expenses(request):
    require_reader(request.user)
    today = timezone.localdate()
    year_form, year = read_year(request.GET, today=today)
    units = units_of(request.user)
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
    require_reader(request.user)
    may_override = can_override_budget(user=request.user)
    units = units_of(request.user)
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
    require_reader(request.user)
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
            "entries": history_entries(instance=expense, masks={"line_code": line_name}),
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
    require_reader(request.user)
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
