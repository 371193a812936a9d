"""The downloads of the pages of funds, assistance, checkups and distributions, each
written to the export log (``ExportRecord``) like the registry's own exports: the
reports' .xlsx and the private files (assistance documents, checkup report scans).

Those apps sit below ``reports`` and may not import it, so their downloads are served
here, with the tables, filters and scope checks of the apps themselves: the page and its
download show the same rows. The URLs keep the apps' names (``checkups:export``,
``assistance:document``…): config/urls.py adds ``app_download_urls`` to each app's URLs.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from assistance import report_views as assistance_reports
from assistance.reports import case_tables, scorecard
from assistance.selectors import document_for
from assistance.workbooks import tables_workbook
from checkups.exports import pending_workbook
from checkups.selectors import campaign_for, campaign_rows, checkup_for
from checkups.views import filter_rows
from distributions.exports import coverage_workbook
from distributions.views import coverage_filters
from funds import report_views as funds_reports
from funds.roles import can_read_funds
from funds.workbooks import report_workbook

from .export_records import export_parameters, export_record
from .export_writer import XLSX_CONTENT_TYPE
from .models import ExportRecord


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    """The workbook as an attachment (a non-ASCII name as RFC 5987 ``filename*``), kept
    out of shared caches."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    add_never_cache_headers(response)
    return response


def _stored_file(field, filename: str) -> FileResponse:
    """A private file, always as a download (never shown inline), kept out of caches;
    404 when it is missing from the disk."""
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=filename)
    add_never_cache_headers(response)
    return response


def _record(request, *, kind: str, parameters: dict, row_count: int, masked: bool = True):
    """The workbooks hold no ID numbers (``masked``: nothing shown unmasked); a stored
    file is as it was uploaded, so nothing in it is masked."""
    export_record(
        user=request.user,
        kind=kind,
        parameters=parameters,
        row_count=row_count,
        id_numbers_masked=masked,
    )


@login_required
def funds_report(request):
    """The 慰问经费 report's .xlsx (``funds:report_xlsx``); rows: its tables' rows."""
    if not can_read_funds(user=request.user):
        raise PermissionDenied
    today = timezone.localdate()
    _form, year, tables = funds_reports.budget_report(
        user=request.user, query=request.GET, today=today
    )
    scope = funds_reports.scope_label(request.user)
    content = report_workbook(tables=tables, year=year, scope=scope)
    _record(
        request,
        kind=ExportRecord.Kind.FUNDS_REPORT,
        parameters={"year": year},
        row_count=sum(len(table.rows) for table in tables),
    )
    return _xlsx(content, f"{_('慰问经费 report')}-{year}.xlsx")


@login_required
def funds_reach(request):
    """The per-head amounts reached as .xlsx (``funds:reach_xlsx``): the cadres who got
    less than an occasion's standard, by name; rows: the cadres listed."""
    if not can_read_funds(user=request.user):
        raise PermissionDenied
    today = timezone.localdate()
    found = funds_reports.reach_report(user=request.user, query=request.GET, today=today)
    table = found.result.table
    scope = funds_reports.scope_label(request.user)
    content = report_workbook(tables=[table], year=found.year, scope=scope)
    _record(
        request,
        kind=ExportRecord.Kind.FUNDS_REACH,
        parameters={"year": found.year, "occasion": found.code},
        row_count=len(table.rows),
    )
    return _xlsx(content, f"{table.title}-{found.year}.xlsx")


def _assistance(request, *, slug: str, title: str, tables_of):
    _form, year = assistance_reports.report_year(request)
    tables = tables_of(user=request.user, year=year)
    scope = assistance_reports.scope_label(request.user)
    content = tables_workbook(tables=tables, year=year, scope=scope)
    _record(
        request,
        kind=ExportRecord.Kind.ASSISTANCE_REPORT,
        parameters={"report": slug, "year": year},
        row_count=sum(len(table.rows) for table in tables),
    )
    return _xlsx(content, f"{title}-{year}.xlsx")


@login_required
def assistance_cases(request):
    """The year's assistance cases as .xlsx (``assistance:report_cases_xlsx``)."""
    return _assistance(request, slug="cases", title=_("Assistance cases"), tables_of=case_tables)


@login_required
def assistance_scorecard(request):
    """The year's assistance scorecard as .xlsx (``assistance:report_scorecard_xlsx``)."""

    def tables_of(*, user, year):
        return [scorecard(user=user, year=year)]

    return _assistance(
        request, slug="scorecard", title=_("Annual assistance scorecard"), tables_of=tables_of
    )


@login_required
def assistance_document(request, pk: int):
    """A supporting document of an assistance case (``assistance:document``), to those
    who may see its case only (else 404)."""
    document = document_for(user=request.user, pk=pk)
    response = _stored_file(document.file, document.original_name)
    _record(
        request,
        kind=ExportRecord.Kind.DOCUMENT,
        parameters=export_parameters(case=document.case, document=document),
        row_count=1,
        masked=False,
    )
    return response


@login_required
def checkup_list(request, pk: int):
    """The list on a checkup campaign's page (by default who is not yet checked), with
    its filters, as .xlsx (``checkups:export``); rows: the cadres listed."""
    campaign = campaign_for(user=request.user, pk=pk)
    today = timezone.localdate()
    rows = campaign_rows(campaign=campaign, today=today, user=request.user)
    form, status, shown = filter_rows(request, rows)
    content = pending_workbook(campaign=campaign, rows=shown)
    filters = form.cleaned_data if form.is_valid() else {}
    _record(
        request,
        kind=ExportRecord.Kind.CHECKUP_LIST,
        parameters=export_parameters(
            campaign=campaign,
            status=status,
            unit=filters.get("unit"),
            liaison=filters.get("liaison"),
            q=filters.get("q"),
        ),
        row_count=len(shown),
    )
    return _xlsx(content, f"checkups-{campaign.year}-{today:%Y%m%d}.xlsx")


@login_required
def checkup_report_file(request, pk: int):
    """A checkup's report scan (``checkups:report_file``): only for those whose scope
    holds the cadre (else 404), never from a public address."""
    checkup = checkup_for(user=request.user, pk=pk)
    if not checkup.report_file:
        raise Http404
    response = _stored_file(checkup.report_file, checkup.report_name or "report")
    _record(
        request,
        kind=ExportRecord.Kind.DOCUMENT,
        parameters=export_parameters(
            checkup=checkup.pk, campaign=checkup.campaign, cadre=checkup.cadre
        ),
        row_count=1,
        masked=False,
    )
    return response


@login_required
def distribution_coverage(request):
    """The coverage report as .xlsx (``distributions:coverage_xlsx``): the units'
    figures and who received nothing, by name; rows: those of both sheets."""
    _form, filters, report = coverage_filters(request)
    content = coverage_workbook(report=report, filters=filters)
    name = f"coverage-{filters['year']}"
    if filters.get("quarter"):
        name += f"-Q{filters['quarter']}"
    _record(
        request,
        kind=ExportRecord.Kind.COVERAGE,
        parameters=export_parameters(**filters),
        row_count=len(report["lines"]) + report["missed"].count(),
    )
    return _xlsx(content, f"{name}.xlsx")
