"""The reminder rule of holiday visits (节日慰问): when each holiday falls (solar or
lunar; its next date, or its dates of past years for a campaign), whom it is for (its
audience), which visits count for an occurrence (its visit window, up to the festival
days after it), who has been visited for it, and, within its lead days, the cadres of
its audience not yet visited. The holiday campaign pages and the reports read the same
occurrences and windows.
"""

from __future__ import annotations

import datetime

from django.db.models import Max

from cadres.models import Hardship, PoliticalStatus, RetirementKind, Visit

from .cadre_rows import CadreRow
from .calendar import LunarMonthDay, lunar_occurrences, solar_occurrences
from .due_items import DueItem, cadre_item
from .models import CalendarKind, Holiday, ReminderKind
from .problems import skip_record

# A lunar year with a leap month runs to 385 days, so the next 春节 can be more than a
# year away (29 January 2025 → 17 February 2026); two years always hold the next date.
HOLIDAY_SEARCH_DAYS = 2 * 366


def _holiday_dates(holiday: Holiday, start: datetime.date, end: datetime.date):
    if holiday.calendar == CalendarKind.LUNAR:
        return lunar_occurrences(LunarMonthDay(holiday.month, holiday.day), start, end)
    # A leap year, so that a 29 February holiday exists as a date.
    return solar_occurrences(datetime.date(2000, holiday.month, holiday.day), start, end)


def holiday_occurrence(holiday: Holiday, day: datetime.date) -> datetime.date | None:
    """The holiday's next date on or after ``day``, however far (None only beyond the
    lunar calendar's years)."""
    end = day + datetime.timedelta(days=HOLIDAY_SEARCH_DAYS)
    return min(_holiday_dates(holiday, day, end), default=None)


def holiday_occurrences(
    holiday: Holiday, *, until: datetime.date, years: int
) -> list[datetime.date]:
    """The holiday's dates from ``years`` years before ``until`` up to ``until``, latest
    first (the campaign's choice of this year's or an earlier year's holiday)."""
    start = until.replace(month=1, day=1, year=until.year - years)
    return sorted(set(_holiday_dates(holiday, start, until)), reverse=True)


def in_holiday_audience(holiday: Holiday, cadre: CadreRow, occurrence) -> bool:
    audience = holiday.audience
    if audience == Holiday.Audience.EVERYONE:
        return True
    if audience == Holiday.Audience.LIXIU:
        return cadre.retirement_kind == RetirementKind.LIXIU
    if audience == Holiday.Audience.PARTY_MEMBERS:
        return cadre.political_status == PoliticalStatus.CPC_MEMBER
    if audience == Holiday.Audience.HARDSHIP:
        return cadre.hardship != Hardship.NONE
    if audience == Holiday.Audience.AGED:
        born = cadre.birth_date
        age = (
            occurrence.year
            - born.year
            - ((occurrence.month, occurrence.day) < (born.month, born.day))
        )
        return age >= (holiday.min_age or 0)
    return False


# Visits in the festival days just after the holiday (春节 until 元宵) still count for it.
HOLIDAY_LATE_DAYS = 15


def holiday_visit_window(
    holiday: Holiday, occurrence: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the visits that count for this occurrence of the
    holiday: ``visit_window_days`` before it until HOLIDAY_LATE_DAYS after."""
    return (
        occurrence - datetime.timedelta(days=holiday.visit_window_days),
        occurrence + datetime.timedelta(days=HOLIDAY_LATE_DAYS),
    )


def holiday_visit_dates(holiday: Holiday, occurrence: datetime.date) -> dict[int, datetime.date]:
    """The cadres visited for this occurrence of the holiday (a done visit with the
    holiday's own occasion within its visit window), each with the last such visit."""
    first, last = holiday_visit_window(holiday, occurrence)
    return dict(
        Visit.objects.filter(
            occasion_id=holiday.occasion_id,
            status=Visit.Status.DONE,
            visited_on__gte=first,
            visited_on__lte=last,
        )
        .order_by()
        .values("cadre_id")
        .annotate(last=Max("visited_on"))
        .values_list("cadre_id", "last")
    )


def holiday_visited_cadre_ids(holiday: Holiday, occurrence: datetime.date) -> set[int]:
    """Cadres visited for this occurrence of the holiday: a done visit with the
    holiday's own occasion within its visit window."""
    first, last = holiday_visit_window(holiday, occurrence)
    return set(
        Visit.objects.filter(
            occasion_id=holiday.occasion_id,
            status=Visit.Status.DONE,
            visited_on__gte=first,
            visited_on__lte=last,
        ).values_list("cadre_id", flat=True)
    )


def holiday_visit_items(cadres: list[CadreRow], day) -> list[DueItem]:
    """Before each active holiday (within its lead days): the cadres of its audience not
    yet visited for it."""
    items = []
    for holiday in Holiday.objects.filter(is_active=True).select_related("occasion"):
        occurrence = holiday_occurrence(holiday, day)
        if occurrence is None or (occurrence - day).days > holiday.lead_days:
            continue
        visited = holiday_visited_cadre_ids(holiday, occurrence)
        for cadre in cadres:
            try:
                if cadre.id in visited or not in_holiday_audience(holiday, cadre, occurrence):
                    continue
                items.append(
                    cadre_item(
                        ReminderKind.HOLIDAY_VISIT,
                        cadre,
                        occurrence,
                        f"cadre:{cadre.id}/holiday:{holiday.pk}",
                        holiday=holiday.name,
                        holiday_id=holiday.pk,
                    )
                )
            except Exception as error:  # one bad record never stops the rule
                skip_record(ReminderKind.HOLIDAY_VISIT, cadre.id, error)
    return items
