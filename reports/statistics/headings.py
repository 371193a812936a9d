"""What heads a standard table, on its page and in its download: the years offered
(the last ten, and earlier years with a theme), the years' themes (年度主题), and
whose figures the table holds.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext

from accounts.models import User
from accounts.scoping import reads_by_branch, visible_unit_ids

from ..models import YearTheme

EARLIEST_YEAR = 1949
YEARS_OFFERED = 10


def year_themes() -> dict[int, YearTheme]:
    return {theme.year: theme for theme in YearTheme.objects.all()}


def year_choices(*, today: datetime.date, themes: dict[int, YearTheme]) -> list[int]:
    """The last ten years, and any earlier year that has a theme, newest first."""
    years = set(range(today.year - YEARS_OFFERED + 1, today.year + 1))
    years |= {year for year in themes if EARLIEST_YEAR <= year <= today.year}
    return sorted(years, reverse=True)


def scope_label(*, user: User) -> str:
    """Whose figures these are, printed under the title."""
    if reads_by_branch(user=user):
        return gettext("Members of the branches you lead")
    if visible_unit_ids(user=user) is None:
        return gettext("All units")
    unit = user.unit
    return gettext("%(unit)s and the units below it") % {"unit": unit.name} if unit else ""
