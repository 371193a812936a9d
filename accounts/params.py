"""Ids, dates and search words read from a request's query string or form data.

A view that takes a record's id, a date or a search word from ``request.GET`` (or from
``request.POST`` outside a form) reads it through these, so that a hostile or mistyped
value is treated as absent instead of reaching the database and answering 500:

- ``str.isdigit()`` is not the test for an id: it accepts "²" and other digits that
  ``int()`` refuses;
- an id of 30 digits fits no database integer (SQLite raises OverflowError);
- ``2026-13-45`` is no date;
- PostgreSQL refuses a NUL character in a string ("A string literal cannot contain NUL
  (0x00) characters").

Forms need none of this: their fields refuse such values with a form error, and
``accounts/lookups.py`` makes a multi-select's 30-digit id match nothing.
"""

import datetime
import re
from collections.abc import Iterable

# 1 to 18 ASCII digits: always below 2**63, the largest id a 64-bit column holds.
_ID = re.compile(r"[0-9]{1,18}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Longer than any name, pinyin or ID number typed into a search box.
SEARCH_MAX_LENGTH = 100


def parse_id(value: object) -> int | None:
    """The record id in ``value`` (``request.GET.get("cadre")``), or None when it is not
    one: anything but 1 to 18 ASCII digits, or zero."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value) or None
    return None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The ids of a multi-valued parameter (``request.GET.getlist("unit")``), or an
    empty list when any of them is not an id."""
    ids = [parse_id(value) for value in values]
    return [] if None in ids else ids


def parse_date(value: object) -> datetime.date | None:
    """The date in ``value`` written YYYY-MM-DD (as a date input sends it), or None,
    also for an impossible date such as 2026-13-45."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def parse_search(value: object) -> str:
    """The words typed into a search box: trimmed, without NUL characters and cut to
    SEARCH_MAX_LENGTH characters; "" when there are none."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
