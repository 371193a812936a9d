import datetime

import pytest
from borax.calendars.lunardate import LunarDate

from reminders.calendar import (
    LunarMonthDay,
    age_at,
    birthday_occurrences,
    lunar_month_day,
    lunar_month_days_matching,
    lunar_to_solar,
    solar_anniversary,
)

D = datetime.date


def test_spring_festival_dates_are_right():
    assert lunar_to_solar(2026, LunarMonthDay(1, 1)) == D(2026, 2, 17)
    assert lunar_to_solar(2027, LunarMonthDay(1, 1)) == D(2027, 2, 6)
    assert lunar_to_solar(2025, LunarMonthDay(9, 9)) == D(2025, 10, 29)


def test_1954_is_converted_correctly():
    # A year where the lunardate package is known to be wrong.
    assert lunar_month_day(D(1954, 3, 5)) == LunarMonthDay(2, 1)
    assert lunar_to_solar(1954, LunarMonthDay(2, 1)) == D(1954, 3, 5)


def test_a_leap_month_birthday_is_kept_in_the_regular_month():
    born = LunarDate(2023, 2, 10, 1).to_solar_date()  # 闰二月初十, 2023
    assert lunar_month_day(born) == LunarMonthDay(2, 10)
    # In 2026 (no leap second month) it falls on the regular 二月初十.
    assert birthday_occurrences(born, lunar=True, start=D(2026, 1, 1), end=D(2026, 12, 31)) == [
        LunarDate(2026, 2, 10, 0).to_solar_date()
    ]


def test_day_30_in_a_29_day_month_moves_to_the_29th():
    year = next(y for y in range(2026, 2040) if _ndays(y, 12) == 29)
    assert lunar_to_solar(year, LunarMonthDay(12, 30)) == LunarDate(year, 12, 29).to_solar_date()


def test_day_30_rule_can_be_set_to_the_next_day(settings):
    settings.YINLING_LUNAR_DAY30_RULE = "next_day"
    year = next(y for y in range(2026, 2040) if _ndays(y, 12) == 29)
    expected = LunarDate(year, 12, 29).to_solar_date() + datetime.timedelta(days=1)
    assert lunar_to_solar(year, LunarMonthDay(12, 30)) == expected
    assert LunarMonthDay(12, 30) in lunar_month_days_matching(expected)


def test_the_29th_of_a_short_month_also_matches_day_30_birthdays():
    year = next(y for y in range(2026, 2040) if _ndays(y, 12) == 29)
    matches = lunar_month_days_matching(LunarDate(year, 12, 29).to_solar_date())
    assert matches == [LunarMonthDay(12, 29), LunarMonthDay(12, 30)]


def _ndays(year, month):
    from borax.calendars.lunardate import LCalendars

    return LCalendars.ndays(year, month, 0)


@pytest.mark.parametrize(("rule", "expected"), [("feb28", D(2027, 2, 28)), ("mar1", D(2027, 3, 1))])
def test_29_february_in_a_common_year(settings, rule, expected):
    settings.YINLING_FEB29_RULE = rule
    assert solar_anniversary(D(1948, 2, 29), 2027) == expected
    assert solar_anniversary(D(1948, 2, 29), 2028) == D(2028, 2, 29)


def test_a_late_lunar_birthday_falls_in_the_next_january():
    born = LunarDate(1950, 12, 20).to_solar_date()
    found = birthday_occurrences(born, lunar=True, start=D(2026, 12, 25), end=D(2027, 1, 31))
    assert found == [LunarDate(2026, 12, 20).to_solar_date()]
    assert found[0].year == 2027


def test_ages_count_lunar_years_for_lunar_birthdays():
    born = LunarDate(1946, 8, 15).to_solar_date()
    occurrence = LunarDate(2026, 8, 15).to_solar_date()
    assert age_at(born, occurrence, lunar=True) == 80
    assert age_at(D(1946, 9, 1), D(2026, 9, 1), lunar=False) == 80
