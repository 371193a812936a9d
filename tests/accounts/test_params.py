import datetime

import pytest

from accounts.models import Unit
from accounts.params import SEARCH_MAX_LENGTH, parse_date, parse_id, parse_ids, parse_search
from tests.factories import UnitFactory

THIRTY_DIGITS = "123456789012345678901234567890"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        ("9" * 18, 10**18 - 1),  # the longest id taken: below 2**63
        ("9" * 19, None),
        (THIRTY_DIGITS, None),
        ("0", None),
        ("-1", None),
        ("²", None),  # "²".isdigit() is True
        ("١٢", None),  # Arabic-Indic digits: int() takes them
        ("1\n", None),
        (" 1", None),
        ("1.0", None),
        ("abc", None),
        ("\x00", None),
        ("😀", None),
        ("", None),
        (None, None),
        (7, None),  # not what a request holds
    ],
)
def test_parse_id_takes_ascii_digits_that_fit_a_64_bit_id(value, expected):
    assert parse_id(value) == expected


def test_parse_ids_takes_all_or_none():
    assert parse_ids(["3", "1"]) == [3, 1]
    assert parse_ids(["3", "abc"]) == []
    assert parse_ids([]) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-28", datetime.date(2026, 2, 28)),
        ("2024-02-29", datetime.date(2024, 2, 29)),
        ("2026-02-29", None),
        ("2026-13-45", None),
        ("0000-01-01", None),
        ("20260101", None),
        ("2026-W01-1", None),
        ("2026-01-01T00:00", None),
        ("\x00", None),
        (None, None),
    ],
)
def test_parse_date_refuses_impossible_dates(value, expected):
    assert parse_date(value) == expected


def test_parse_search_drops_nul_and_bounds_the_length():
    assert parse_search("  张\x00三 ") == "张三"
    assert parse_search("\x00") == ""
    assert parse_search(None) == ""
    assert len(parse_search("x" * 10_000)) == SEARCH_MAX_LENGTH


@pytest.mark.django_db
def test_an_id_no_column_holds_matches_nothing_in_an_in_lookup():
    """SQLite raised OverflowError for these (accounts/lookups.py)."""
    unit = UnitFactory()
    assert list(Unit.objects.filter(pk__in=[int(THIRTY_DIGITS)])) == []
    assert list(Unit.objects.filter(pk__in=[int(THIRTY_DIGITS), unit.pk])) == [unit]
    assert list(Unit.objects.filter(pk__in=[-(2**64), str(2**63)])) == []
    assert list(Unit.objects.exclude(pk__in=[int(THIRTY_DIGITS)])) == [unit]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=%00", "%00=1", "status__exact=a%00b"])
def test_a_nul_in_the_query_string_is_a_bad_request(client, superuser, query):
    """PostgreSQL refuses NUL in a string: the admin's filters answered 500 with it."""
    client.force_login(superuser)
    assert client.get(f"/admin/cadres/cadre/?{query}").status_code == 400
    assert client.get(f"/cadres/?{query}").status_code == 400
