"""The export pages: each shows a form (GET); submitting it (POST) downloads the .xlsx."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accounts.params import parse_date, parse_id
from cadres.filter_forms import CadreFilterForm
from cadres.models import CadreStatus
from cadres.registry_list import cadre_list
from cadres.selectors import registry_filter_choices, staff_visible_to

from .export_forms import AttendanceExportForm, LedgerColumnsForm, VisitExportForm
from .export_records import Export
from .export_writer import XLSX_CONTENT_TYPE
from .exports import (
    attendance_activities,
    attendance_export,
    ledger_columns,
    ledger_export,
    visits_export,
)


def _download(export: Export) -> FileResponse:
    """Stream the finished file; it is closed, and so deleted, once sent. The filename
    is non-ASCII, so Django sends it as RFC 5987 ``filename*=utf-8''…``."""
    response = FileResponse(
        export.file,
        as_attachment=True,
        filename=export.filename,
        content_type=XLSX_CONTENT_TYPE,
    )
    add_never_cache_headers(response)  # registry data is not left in shared caches
    return response


def _period_initial(query: QueryDict, fields) -> dict:
    """Start values for a period form: this year so far, overridden by the query string
    (the filters of the page the user came from) where it holds a date or an id."""
    today = timezone.localdate()
    initial = {"date_from": datetime.date(today.year, 1, 1), "date_to": today}
    for name, field in fields.items():
        value = query.get(name)
        if isinstance(field, forms.DateField):
            value = parse_date(value)
        elif isinstance(field, forms.ModelChoiceField):
            value = parse_id(value)
        if value:
            initial[name] = value
    return initial


def _filter_summary(form: CadreFilterForm, filters: dict) -> list[tuple[str, str]]:
    """The registry filters in effect, as (label, value) pairs to show on the page."""
    summary = []
    for name, field in form.fields.items():
        value = filters.get(name)
        if name == "sort" or value in (None, ""):
            continue
        if hasattr(field, "queryset"):
            shown = str(value)
        elif hasattr(field, "choices"):
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = value
        summary.append((str(field.label), shown))
    if not filters.get("status"):
        summary.insert(0, (str(form.fields["status"].label), str(CadreStatus.ON_REGISTER.label)))
    return summary


@login_required
def export_cadres(request):
    """The cadre ledger: the registry's filtered list (its query string) with the
    columns ticked here."""
    filter_form = CadreFilterForm(request.GET or None, **registry_filter_choices(user=request.user))
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None  # no box ticked: an error
    form = LedgerColumnsForm(data, columns=ledger_columns())
    if request.method == "POST" and form.is_valid():
        export = ledger_export(
            user=request.user, filters=filters, columns=form.cleaned_data["columns"], today=today
        )
        return _download(export)
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "reports/export_cadres.html",
        {
            "form": form,
            "summary": _filter_summary(filter_form, filters),
            "count": cadre_list(user=request.user, filters=filters, today=today).count(),
            "registry_url": f"{reverse('cadres:registry')}?{keep.urlencode()}",
        },
    )


@login_required
def export_visits(request):
    """Visits in a period, with the visits list's filters."""
    choices = {
        "units": registry_filter_choices(user=request.user)["units"],
        "staff": staff_visible_to(user=request.user),
    }
    if request.method == "POST":
        form = VisitExportForm(request.POST, **choices)
        if form.is_valid():
            return _download(visits_export(user=request.user, filters=form.cleaned_data))
    else:
        initial = _period_initial(request.GET, VisitExportForm.base_fields)
        form = VisitExportForm(initial=initial, **choices)
    return render(request, "reports/export_visits.html", {"form": form})


@login_required
def export_attendance(request):
    """Attendance of the user's cadres at activities in a period, or at one activity."""
    activities = attendance_activities(user=request.user)
    if request.method == "POST":
        form = AttendanceExportForm(request.POST, activities=activities)
        if form.is_valid():
            export = attendance_export(user=request.user, **form.cleaned_data)
            return _download(export)
    else:
        initial = _period_initial(request.GET, AttendanceExportForm.base_fields)
        form = AttendanceExportForm(initial=initial, activities=activities)
    return render(request, "reports/export_attendance.html", {"form": form})
