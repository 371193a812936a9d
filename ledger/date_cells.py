"""The ledger's date cells: a real Excel date or a date typed as people do (1950-03-15,
1950年3月15日, 19500315), with impossible dates refused and a year or a year and month
where a whole date belongs reported as a :class:`PartialDate` (the import completes a
birth date of that kind from the ID number).
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext_lazy as _
from import_export.widgets import Widget
from openpyxl.utils.datetime import from_excel

from .cells import CellError, cell_text, fold_text

# Years before this are typing slips (0950 for 1950), not dates of retirees' lives.
EARLIEST_YEAR = 1900


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# A year, or a year and month, written as people do: 2009, 2009年, 2009.02, 2009-2,
# 2009年2月, 200902.
YEAR_MONTH_PATTERN = re.compile(r"^(\d{4})\s*(?:([-/.年])\s*(\d{1,2})\s*月?)?\s*年?$")
YEAR_MONTH_DIGITS = re.compile(r"^(\d{4})(\d{2})$")
# Years a year-only value in a ledger can mean (retirees' births to today's dates).
PLAUSIBLE_YEARS = range(EARLIEST_YEAR, 2101)


class PartialDate(CellError):
    """A year (1988) or a year and month (2009.02) where a whole date belongs.
    ``months`` holds the month(s) it can mean: 1950.1 is what Excel shows of a number
    typed 1950.10, but also how people write January."""

    def __init__(self, value, *, year: int, months: tuple[int, ...]):
        self.year = year
        self.months = months
        super().__init__(
            _(
                "“%(value)s” looks like a year or a year and month; write the whole date, "
                "such as %(example)s."
            ),
            code="partial_date",
            params={
                "value": cell_text(value),
                "example": f"{year:04d}-{months[0] if months else 1:02d}-01",
            },
        )


def _partial_date(text: str, value) -> PartialDate | None:
    """The year or year and month that ``text`` (a cell's folded text) holds, if so."""
    match = YEAR_MONTH_PATTERN.match(text)
    if match:
        year, separator, month = match.groups()
    else:
        match = YEAR_MONTH_DIGITS.match(text)
        if not match:
            return None
        (year, month), separator = match.groups(), ""
    if int(year) not in PLAUSIBLE_YEARS:
        return None
    months: tuple[int, ...] = ()
    if month:
        candidates = [int(month)]
        if separator == "." and month == "1":
            # Excel shows a number typed 1988.10 as 1988.1: as a number, October first.
            candidates.insert(0 if isinstance(value, float) else 1, 10)
        months = tuple(number for number in candidates if 1 <= number <= 12)
        if not months:
            return None
    return PartialDate(value, year=int(year), months=months)


class DateCell(Widget):
    """A date: a real Excel date, 1950-03-15, 1950/3/15, 1950.3.15, 1950年3月15日 or
    19500315. Dates that do not exist (30 February) are refused, and so is a year or a
    year and month (1988, 2009.02: :class:`PartialDate`), typed as a number or text —
    read as Excel's day numbers they would be days of 1905."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs) -> datetime.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return self._plausible(value.date(), value)
        if isinstance(value, datetime.date):
            return self._plausible(value, value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            partial = _partial_date(str(value), value) if value >= 1 else None
            if partial is not None:
                raise partial
            if isinstance(value, int) and 10_000_000 <= value <= 99_999_999:
                text = str(value)
            elif 1 <= value < 100_000:  # an Excel serial day number
                return self._plausible(from_excel(value).date(), value)
            else:
                raise self._unreadable(value)
        else:
            text = fold_text(value)
        if not text:
            return None
        match = DATE_PATTERN.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
        if not match:
            raise _partial_date(text, value) or self._unreadable(value)
        year, month, day = (int(part) for part in match.groups())
        try:
            day_value = datetime.date(year, month, day)
        except ValueError:
            raise CellError(
                _("%(value)s is not a date that exists."),
                code="impossible_date",
                params={"value": cell_text(value)},
            ) from None
        return self._plausible(day_value, value)

    def _plausible(self, day: datetime.date, value) -> datetime.date:
        if day.year < EARLIEST_YEAR:
            raise CellError(
                _("%(value)s is not a date that exists."),
                code="impossible_date",
                params={"value": cell_text(value)},
            )
        return day

    def _unreadable(self, value) -> CellError:
        return CellError(
            _("“%(value)s” is not a date; write it like 1950-03-15."),
            code="invalid_date",
            params={"value": cell_text(value)},
        )

    def render(self, value, obj=None, **kwargs):
        return value
