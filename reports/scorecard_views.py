"""Pages of the annual unit scorecard (目标考核): the ranking with figures that link to
the lists behind them (printable, and as .xlsx), the drill-down list of a figure, and the
weights administrators set. Bureau staff and administrators see every unit, unit staff
the units of their subtree; branch secretaries are refused (403)."""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from accounts.forms import form_add_service_errors
from accounts.models import Unit, User
from accounts.params import parse_id
from accounts.scoping import reads_by_branch, scope_queryset
from cadres.models import Cadre

from .export_records import export_record
from .export_writer import XLSX_CONTENT_TYPE
from .forms import YearForm
from .models import ExportRecord, ScorecardMeasure
from .scorecard import LISTED_MEASURES, Scorecard, unit_scorecard
from .scorecard_forms import ScorecardWeightsForm
from .scorecard_services import scorecard_weights_update
from .scorecard_workbook import scorecard_workbook
from .statistics.headings import scope_label, year_choices, year_themes

LIST_PAGE_SIZE = 50


def _refuse_branch_secretaries(user: User) -> None:
    # Units are assessed; a branch secretary's scope is their branches' members.
    if reads_by_branch(user=user):
        raise PermissionDenied


def can_set_weights(*, user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role == User.Role.ADMINISTRATOR)


def _year(request, today):
    years = year_choices(today=today, themes=year_themes())
    form = YearForm(request.GET, years=years)
    year = (form.cleaned_data["year"] if form.is_valid() else None) or today.year
    return YearForm(initial={"year": year}, years=years), year


def figure_url(card: Scorecard, measure: str, unit_id: int | None) -> str:
    """The list behind a figure: the registry's own list filtered by the unit where
    there is one, else the scorecard's drill-down list."""
    unit = {"unit": unit_id} if unit_id else {}
    if measure == ScorecardMeasure.SPRING_FESTIVAL and card.spring_festival:
        holiday, occurrence = card.spring_festival
        url = reverse("reminders:campaign_holiday", args=[holiday.pk])
        return f"{url}?{urlencode({'occurrence': occurrence.isoformat()})}"
    if measure in LISTED_MEASURES:
        query = {"year": card.year, "measure": measure, **unit}
        return f"{reverse('reports:scorecard_list')}?{urlencode(query)}"
    if measure == ScorecardMeasure.CHECKUPS and card.checkup_campaigns:
        if len(card.checkup_campaigns) > 1:
            return reverse("checkups:index")
        url = reverse("checkups:campaign", args=[card.checkup_campaigns[0].pk])
        return f"{url}?{urlencode({**unit, 'status': ''})}"
    if measure == ScorecardMeasure.DISTRIBUTIONS:
        query = {"year": card.year, "quarter": "", **unit}
        return f"{reverse('distributions:coverage')}?{urlencode(query)}"
    if measure == ScorecardMeasure.BRANCH_MEETINGS:
        return f"{reverse('branches:list')}?{urlencode(unit)}"
    return ""


def _cells(card: Scorecard, row) -> list[dict]:
    cells = []
    for measure in card.measures:
        figure = row.figures.get(measure.code)
        percent = None if figure is None or figure.share is None else figure.share * 100
        if percent is not None and measure.code == ScorecardMeasure.OVERDUE_VISITS:
            percent = 100 - percent  # the share overdue; fewer is better
        cells.append(
            {
                "measure": measure,
                "figure": figure,
                "percent": percent,
                "url": figure_url(card, measure.code, row.unit_id) if figure is not None else "",
            }
        )
    return cells


@login_required
def scorecard(request):
    _refuse_branch_secretaries(request.user)
    today = timezone.localdate()
    form, year = _year(request, today)
    card = unit_scorecard(user=request.user, year=year, today=today)
    scope = scope_label(user=request.user)
    if request.GET.get("format") == "xlsx":
        content = scorecard_workbook(card=card, scope=scope)
        export_record(
            user=request.user,
            kind=ExportRecord.Kind.REPORT,
            parameters={"table": "scorecard", "year": year},
            row_count=len(card.rows),
            id_numbers_masked=True,
        )
        response = FileResponse(
            io.BytesIO(content),
            as_attachment=True,
            filename=_("Unit scorecard %(year)s.xlsx") % {"year": year},
            content_type=XLSX_CONTENT_TYPE,
        )
        add_never_cache_headers(response)
        return response
    return render(
        request,
        "reports/scorecard.html",
        {
            "form": form,
            "card": card,
            "rows": [(row, _cells(card, row)) for row in card.rows],
            "total_cells": _cells(card, card.total),
            "unavailable": [m for m in card.measures if not m.available],
            "scope": scope,
            "today": today,
            "can_set_weights": can_set_weights(user=request.user),
        },
    )


@login_required
def scorecard_list(request):
    """The records behind one figure of the scorecard: a unit's (or all the user's
    units') cadres, stays or needs for a measure, each marked counted or not."""
    _refuse_branch_secretaries(request.user)
    today = timezone.localdate()
    form, year = _year(request, today)
    measure = request.GET.get("measure") or ScorecardMeasure.VISIT_COVERAGE
    if measure not in LISTED_MEASURES:
        raise Http404
    unit = None
    if request.GET.get("unit"):
        visible = scope_queryset(Unit.objects.all(), user=request.user, unit_path="")
        unit = visible.filter(pk=parse_id(request.GET.get("unit"))).first()
        if unit is None:
            raise Http404
    card = unit_scorecard(
        user=request.user, year=year, today=today, unit_id=unit.pk if unit else None
    )
    items = card.items.get(measure, [])
    if request.GET.get("counted") in ("0", "1"):
        items = [item for item in items if item.counted == (request.GET["counted"] == "1")]
    page = Paginator(items, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    cadres = Cadre.objects.select_related("unit").in_bulk({item.cadre_id for item in page})
    for item in page:
        item.cadre = cadres.get(item.cadre_id)
    figure = card.total.figures.get(measure)
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "reports/scorecard_list.html",
        {
            "form": form,
            "card": card,
            "year": year,
            "measure": measure,
            "label": ScorecardMeasure(measure).label,
            "unit": unit,
            "figure": figure,
            "page": page,
            "query": keep.urlencode(),
            "back": f"{reverse('reports:scorecard')}?{urlencode({'year': year})}",
            "campaign_url": figure_url(card, ScorecardMeasure.SPRING_FESTIVAL, None)
            if measure == ScorecardMeasure.SPRING_FESTIVAL
            else "",
        },
    )


@login_required
def scorecard_weights(request):
    """The weights of the measures, set by administrators."""
    if not can_set_weights(user=request.user):
        raise PermissionDenied
    form = ScorecardWeightsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scorecard_weights_update(weights=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The weights of the scorecard have been saved."))
            return redirect("reports:scorecard")
    return render(request, "reports/scorecard_weights.html", {"form": form})
