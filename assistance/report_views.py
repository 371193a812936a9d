"""The 帮扶 reports of a year: on screen, in the print layout, and as .xlsx — the same
rows in all three (the .xlsx, a download written to the export log, is served by
reports/app_downloads.py with the tables and scope of this module)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import reads_by_branch, visible_unit_ids

from .forms import YearForm
from .reports import Table, case_tables, display, scorecard, year_choices


def scope_label(user: User) -> str:
    """Whose figures these are: every unit, the user's unit and those below it, or the
    branches a secretary leads."""
    if reads_by_branch(user=user):
        return _("The members of the branches you lead")
    if visible_unit_ids(user=user) is None:
        return _("All units")
    return _("%(unit)s and the units below it") % {"unit": user.unit}


def report_year(request) -> tuple[YearForm, int]:
    """The year asked for (this year when none or a wrong one is), and its form."""
    today = timezone.localdate()
    years = year_choices(today=today)
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else today.year
    return YearForm({"year": year}, years=years), year


def _respond(request, *, tables: list[Table], year: int, form, title: str, slug: str):
    return render(
        request,
        "assistance/report.html",
        {
            "form": form,
            "year": year,
            "title": title,
            "slug": slug,
            "scope": scope_label(request.user),
            "tables": [display(table) for table in tables],
            "today": timezone.localdate(),
        },
    )


@login_required
def case_report(request):
    form, year = report_year(request)
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
    form, year = report_year(request)
    return _respond(
        request,
        tables=[scorecard(user=request.user, year=year)],
        year=year,
        form=form,
        title=_("Annual assistance scorecard"),
        slug="scorecard",
    )
