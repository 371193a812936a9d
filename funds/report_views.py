"""The year's 慰问经费 report: on screen, in the print layout and as .xlsx — the same
tables in all three (the .xlsx, a download written to the export log, is served by
reports/app_downloads.py with the tables and scope of this module)."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import visible_unit_ids

from .forms import YearForm, read_year
from .report import (
    REACH_OCCASION,
    Reach,
    Table,
    budget_tables,
    display,
    reach_occasions,
    reach_table,
)
from .roles import can_read_funds


class ReachReport(NamedTuple):
    year_form: YearForm
    year: int
    occasions: list
    code: str
    result: Reach


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
    return render(
        request,
        template,
        {
            "year": year,
            "scope": scope_label(request.user),
            "title": title,
            "tables": [shown(table) for table in tables],
            "today": timezone.localdate(),
            **extra,
        },
    )


def budget_report(*, user: User, query, today) -> tuple[YearForm, int, list[Table]]:
    """The year asked for in ``query``, its form, and the budget's tables for ``user``."""
    year_form, year = read_year(query, today=today)
    return year_form, year, list(budget_tables(user=user, year=year))


def reach_report(*, user: User, query, today) -> ReachReport:
    """The year and occasion asked for in ``query`` (the Spring Festival when none or an
    unknown one is) and the per-head table for ``user``."""
    year_form, year = read_year(query, today=today)
    occasions = reach_occasions(year=year)
    code = query.get("occasion") or REACH_OCCASION
    if code not in {occasion.code for occasion in occasions}:
        code = REACH_OCCASION
    result = reach_table(user=user, year=year, today=today, occasion_code=code)
    return ReachReport(year_form, year, occasions, code, result)


@login_required
def report(request):
    """Budget against spending, by unit and line and by line."""
    if not can_read_funds(user=request.user):
        raise PermissionDenied
    today = timezone.localdate()
    year_form, year, tables = budget_report(user=request.user, query=request.GET, today=today)
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
    found = reach_report(user=request.user, query=request.GET, today=today)
    return _respond(
        request,
        template="funds/reach.html",
        tables=[found.result.table],
        year=found.year,
        title=str(found.result.table.title),
        extra={
            "year_form": found.year_form,
            "reach": found.result,
            "occasions": found.occasions,
            "code": found.code,
        },
    )
