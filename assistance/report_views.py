"""The 帮扶 reports of a year: on screen, in the print layout, and as .xlsx — the same
rows in all three."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import reads_by_branch, visible_unit_ids

from .forms import YearForm
from .reports import Table, case_tables, display, scorecard, year_choices
from .workbooks import tables_workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scope_label(user: User) -> str:
    """Whose figures these are: every unit, the user's unit and those below it, or the
    branches a secretary leads."""
    if reads_by_branch(user=user):
        return _("The members of the branches you lead")
    if visible_unit_ids(user=user) is None:
        return _("All units")
    return _("%(unit)s and the units below it") % {"unit": user.unit}


def _year(request) -> tuple[YearForm, int]:
    today = timezone.localdate()
    years = year_choices(today=today)
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else today.year
    return YearForm({"year": year}, years=years), year


def _respond(request, *, tables: list[Table], year: int, form, title: str, slug: str):
    scope = scope_label(request.user)
    if request.GET.get("format") == "xlsx":
        content = tables_workbook(tables=tables, year=year, scope=scope)
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
        "assistance/report.html",
        {
            "form": form,
            "year": year,
            "title": title,
            "slug": slug,
            "scope": scope,
            "tables": [display(table) for table in tables],
            "today": timezone.localdate(),
        },
    )


@login_required
def case_report(request):
    form, year = _year(request)
    return _respond(
        request,
        tables=case_tables(user=request.user, year=year),
        year=year,
        form=form,
        title=_("Assistance cases"),
        slug="cases",
    )


@login_required
def scorecard_report(request):
    form, year = _year(request)
    return _respond(
        request,
        tables=[scorecard(user=request.user, year=year)],
        year=year,
        form=form,
        title=_("Annual assistance scorecard"),
        slug="scorecard",
    )
