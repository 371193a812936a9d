import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from cadres.visit_selectors import visit_todo_summary
from reminders.delivery_selectors import delivery_troubles

from .dashboard_lists import dashboard_lists
from .export_records import export_record
from .export_writer import XLSX_CONTENT_TYPE
from .forms import YearForm
from .models import ExportRecord
from .selectors import (
    age_band_chart,
    coverage_by_unit_chart,
    dashboard_snapshot,
    figures_by_unit,
    headline_figures,
    visits_by_month_chart,
)
from .services import dashboard_refresh
from .statistics import STANDARD_TABLES, TABLES_BY_SLUG
from .statistics.display import chart_geometry, display_rows
from .statistics.headings import scope_label, year_choices, year_themes
from .statistics.workbook import report_workbook


@login_required
def dashboard(request):
    today = timezone.localdate()
    snapshot = dashboard_snapshot(today=today)
    if snapshot is None:  # before the first daily run of a new installation
        snapshot = dashboard_refresh(day=today)
    by_unit = figures_by_unit(user=request.user, snapshot=snapshot)
    figures = headline_figures(by_unit=by_unit)
    return render(
        request,
        "reports/dashboard.html",
        {
            "today": today,
            "figures": figures,
            "age_chart": age_band_chart(figures),
            "visits_chart": visits_by_month_chart(
                user=request.user, today=today, snapshot=snapshot, by_unit=by_unit
            ),
            "coverage_chart": coverage_by_unit_chart(by_unit=by_unit),
            "todo": visit_todo_summary(user=request.user, today=today),
            "delivery": delivery_troubles(user=request.user, today=today),
            **dashboard_lists(user=request.user, today=today, snapshot=snapshot, by_unit=by_unit),
        },
    )


def _report_year(request, today):
    """The year asked for in ``?year=``, if it is one on offer; else the current year."""
    themes = year_themes()
    years = year_choices(today=today, themes=themes)
    form = YearForm(request.GET, years=years)
    year = (form.cleaned_data["year"] if form.is_valid() else None) or today.year
    return YearForm(initial={"year": year}, years=years), year, themes.get(year)


@login_required
def statistics_index(request):
    today = timezone.localdate()
    form, year, theme = _report_year(request, today)
    return render(
        request,
        "reports/statistics_index.html",
        {"form": form, "year": year, "theme": theme, "tables": STANDARD_TABLES},
    )


@login_required
def statistics_table(request, slug: str):
    table = TABLES_BY_SLUG.get(slug)
    if table is None:
        raise Http404
    today = timezone.localdate()
    form, year, theme = _report_year(request, today)
    report = table.select(user=request.user, year=year, today=today)
    scope = scope_label(user=request.user)
    if request.GET.get("format") == "xlsx":
        content = report_workbook(table=table, report=report, year=year, theme=theme, scope=scope)
        export_record(
            user=request.user,
            kind=ExportRecord.Kind.REPORT,
            parameters={"table": slug, "year": year},
            row_count=len(report.rows),
            id_numbers_masked=True,
        )
        response = FileResponse(
            io.BytesIO(content),
            as_attachment=True,
            filename=f"{table.title}-{year}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
        add_never_cache_headers(response)
        return response
    return render(
        request,
        "reports/statistics_table.html",
        {
            "form": form,
            "year": year,
            "theme": theme,
            "table": table,
            "report": report,
            "rows": display_rows(report),
            "chart": chart_geometry(report.chart),
            "scope": scope,
            "today": today,
        },
    )
