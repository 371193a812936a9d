"""The year's 慰问经费 report: on screen, in the print layout and as .xlsx — the same
tables in all three."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import visible_unit_ids

from .forms import read_year
from .report import (
    REACH_OCCASION,
    Table,
    budget_tables,
    display,
    reach_occasions,
    reach_table,
)
from .roles import can_read_funds
from .workbooks import report_workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scope_label(user: User) -> str:
    if visible_unit_ids(user=user) is None:
        return _("All units")
    return _("%(unit)s and the units below it") % {"unit": user.unit}


def shown(table: Table) -> dict:
    """The table's cells as the page writes them (the same values as the .xlsx)."""
    kinds = [column.kind for column in table.columns]

    def cells(values):
        return [
            {"text": display(value, kind), "numeric": kind != "text"}
            for value, kind in zip(values, kinds, strict=True)
        ]

    return {
        "title": table.title,
        "note": table.note,
        "columns": table.columns,
        "rows": [
            {"cells": cells(values), "emphasis": index in table.emphasis}
            for index, values in enumerate(table.rows)
        ],
        "total": cells(table.total) if table.total else None,
    }


def _respond(request, *, template: str, tables: list[Table], year: int, title: str, extra):
    scope = scope_label(request.user)
    if request.GET.get("format") == "xlsx":
        content = report_workbook(tables=tables, year=year, scope=scope)
        response = FileResponse(
            io.BytesIO(content),
            as_attachment=True,
            filename=f"{title}-{year}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
        add_never_cache_headers(response)
        return response
    return render(
        request,
        template,
        {
            "year": year,
            "scope": scope,
            "title": title,
            "tables": [shown(table) for table in tables],
            "today": timezone.localdate(),
            **extra,
        },
    )


@login_required
def report(request):
    """Budget against spending, by unit and line and by line."""
    if not can_read_funds(user=request.user):
        raise PermissionDenied
    today = timezone.localdate()
    year_form, year = read_year(request.GET, today=today)
    tables = list(budget_tables(user=request.user, year=year))
    return _respond(
        request,
        template="funds/report.html",
        tables=tables,
        year=year,
        title=_("慰问经费 report"),
        extra={"year_form": year_form},
    )


@login_required
def reach(request):
    """Per head: who on the register got less than the standard of an occasion, and why."""
    if not can_read_funds(user=request.user):
        raise PermissionDenied
    today = timezone.localdate()
    year_form, year = read_year(request.GET, today=today)
    occasions = reach_occasions(year=year)
    codes = {occasion.code for occasion in occasions}
    code = request.GET.get("occasion") or REACH_OCCASION
    if code not in codes:
        code = REACH_OCCASION
    result = reach_table(user=request.user, year=year, today=today, occasion_code=code)
    return _respond(
        request,
        template="funds/reach.html",
        tables=[result.table],
        year=year,
        title=str(result.table.title),
        extra={"year_form": year_form, "reach": result, "occasions": occasions, "code": code},
    )
