"""Lunar and solar anniversaries: birthdays, political birthdays and festivals.

Lunar dates come from borax (correct for 1900–2100). The rules for dates that do not
exist every year are settings, so a bureau that counts differently can change them:

- ``YINLING_FEB29_RULE``: a 29 February anniversary falls on ``"feb28"`` (default) or
  ``"mar1"`` in common years;
- ``YINLING_LUNAR_DAY30_RULE``: lunar day 30 in a 29-day month falls on ``"last_day"``
  (the 29th, default) or ``"next_day"`` (the first day of the next month);
- a lunar birthday in a leap month is kept in the regular month of that number, which
  every year has (leap months come only every two or three years).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from borax.calendars.lunardate import LCalendars, LunarDate
from django.conf import settings
from django.utils.translation import gettext as _

LUNAR_MIN_YEAR = 1900
LUNAR_MAX_YEAR = 2100
# 庚子年正月初一: borax has no lunar 1899, so a solar date before this one has no lunar
# date here (cadres/models.py refuses a lunar birthday before it).
LUNAR_FIRST_DAY = LunarDate(LUNAR_MIN_YEAR, 1, 1).to_solar_date()


class LunarRangeError(ValueError):
    """A solar date before the first day the lunar calendar covers."""


def _lunar_date(day: datetime.date) -> LunarDate:
    if day < LUNAR_FIRST_DAY:
        raise LunarRangeError(
            _(
                "%(date)s has no lunar date here: the lunar calendar starts on "
                "%(first)s (the first day of lunar 1900)."
            )
            % {"date": day.isoformat(), "first": LUNAR_FIRST_DAY.isoformat()}
        )
    return LunarDate.from_solar(day)


@dataclass(frozen=True)
class LunarMonthDay:
    """A lunar month and day without a year (a lunar birthday or festival)."""

    month: int
    day: int


def lunar_month_day(day: datetime.date) -> LunarMonthDay:
    """The lunar month and day of a solar date; a leap month counts as the regular one."""
    lunar = _lunar_date(day)
    return LunarMonthDay(lunar.month, lunar.day)


def solar_anniversary(original: datetime.date, year: int) -> datetime.date:
    """The date of ``original``'s anniversary in ``year``."""
    try:
        return original.replace(year=year)
    except ValueError:  # 29 February in a common year
        if getattr(settings, "YINLING_FEB29_RULE", "feb28") == "mar1":
            return datetime.date(year, 3, 1)
        return datetime.date(year, 2, 28)


def lunar_to_solar(lunar_year: int, month_day: LunarMonthDay) -> datetime.date | None:
    """The solar date of a lunar month and day in ``lunar_year`` (regular month), or
    None outside the supported years."""
    if not LUNAR_MIN_YEAR <= lunar_year <= LUNAR_MAX_YEAR:
        return None
    days_in_month = LCalendars.ndays(lunar_year, month_day.month, 0)
    if month_day.day <= days_in_month:
        return LunarDate(lunar_year, month_day.month, month_day.day, 0).to_solar_date()
    # Day 30 in a 29-day month.
    last = LunarDate(lunar_year, month_day.month, days_in_month, 0).to_solar_date()
    if getattr(settings, "YINLING_LUNAR_DAY30_RULE", "last_day") == "next_day":
        return last + datetime.timedelta(days=1)
    return last


def solar_occurrences(
    original: datetime.date, start: datetime.date, end: datetime.date
) -> Iterator[datetime.date]:
    """Anniversaries of a solar date falling within [start, end]."""
    for year in range(start.year, end.year + 1):
        day = solar_anniversary(original, year)
        if start <= day <= end:
            yield day


def lunar_occurrences(
    month_day: LunarMonthDay, start: datetime.date, end: datetime.date
) -> Iterator[datetime.date]:
    """Solar dates of a lunar month/day falling within [start, end]. A lunar year starts
    in late January or February, so the lunar year before ``start``'s is searched too
    (a lunar-12th-month birthday falls in the next solar January)."""
    seen = set()
    for lunar_year in range(start.year - 1, end.year + 1):
        day = lunar_to_solar(lunar_year, month_day)
        if day is not None and start <= day <= end and day not in seen:
            seen.add(day)
            yield day


def birthday_occurrences(
    birth_date: datetime.date, *, lunar: bool, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    if lunar:
        return list(lunar_occurrences(lunar_month_day(birth_date), start, end))
    return list(solar_occurrences(birth_date, start, end))


def age_at(birth_date: datetime.date, occurrence: datetime.date, *, lunar: bool) -> int:
    """Age reached on a birthday occurrence (for a lunar birthday, in lunar years)."""
    if lunar:
        born = _lunar_date(birth_date).year
        return LunarDate.from_solar(occurrence).year - born
    return occurrence.year - birth_date.year


def lunar_month_days_matching(day: datetime.date) -> list[LunarMonthDay]:
    """The lunar month/days whose anniversary falls on the solar date ``day``.

    Used to find, with one query, the cadres whose lunar birthday is on ``day``: the day
    itself, plus day 30 when ``day`` is the 29th and last day of a month (last_day rule)
    or the first day after such a month (next_day rule). A date in a leap month matches
    nothing: birthdays are kept in the regular month.
    """
    lunar = LunarDate.from_solar(day)
    if lunar.leap:
        # The day after a 29-day regular month may be in its leap month (next_day rule).
        return _day30_spill(day)
    matches = [LunarMonthDay(lunar.month, lunar.day)]
    rule = getattr(settings, "YINLING_LUNAR_DAY30_RULE", "last_day")
    if (
        rule == "last_day"
        and lunar.day == 29
        and LCalendars.ndays(lunar.year, lunar.month, 0) == 29
    ):
        matches.append(LunarMonthDay(lunar.month, 30))
    if rule == "next_day":
        matches += _day30_spill(day)
    return matches


def _day30_spill(day: datetime.date) -> list[LunarMonthDay]:
    if getattr(settings, "YINLING_LUNAR_DAY30_RULE", "last_day") != "next_day":
        return []
    previous = LunarDate.from_solar(day - datetime.timedelta(days=1))
    if (
        not previous.leap
        and previous.day == 29
        and LCalendars.ndays(previous.year, previous.month, 0) == 29
    ):
        return [LunarMonthDay(previous.month, 30)]
    return []


def lunar_date_label(day: datetime.date) -> str:
    """The lunar month and day of a solar date in Chinese (正月初一, 八月十五), as
    calendars print it; a leap month reads 闰四月."""
    return LunarDate.from_solar(day).strftime("%L%M月%D")
