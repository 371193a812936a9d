"""Rows of a bureau's ledger that are not cadres (序号 only, the footer, numbered blank
lines), and a unit's name merged down over its cadres."""

import pytest

from cadres.models import Cadre
from ledger.models import ImportJob

from .bureau_sheets import BASIC, basic, check, commit, messages, problems, workbook_bytes

pytestmark = pytest.mark.django_db


def test_rows_of_only_serial_numbers_and_the_footer_are_skipped_and_counted(staff, unit_a):
    header = ["序号", *BASIC]
    rows = [
        [1, *basic(1, unit_a)],
        [2],  # a numbered line left empty between cadres
        [3, *basic(3, unit_a)],
        *([n] for n in range(4, 41)),  # the form numbered to 40
    ]
    footer = ["填表人：张三　　审核人：李四　　填表日期：2024年3月1日"]
    content = workbook_bytes(header, *rows, footer, merges=["A42:G42"])
    job = check(staff, content)
    assert job.status == ImportJob.Status.VALID, job.errors
    assert job.total_rows == 2
    # The empty numbered line between cadres, those down to the footer, the footer.
    assert job.skipped_rows == 1 + 37 + 1
    assert (job.unknown_columns, job.ignored_columns) == ([], [])


def test_numbered_lines_at_the_end_without_a_footer_are_blank_lines(staff, unit_a):
    rows = [[1, *basic(1, unit_a)], *([n] for n in range(2, 30))]
    job = check(staff, workbook_bytes(["序号", *BASIC], *rows))
    assert job.status == ImportJob.Status.VALID, job.errors
    assert (job.total_rows, job.skipped_rows) == (1, 0)


def test_a_unit_merged_down_over_its_cadres_fills_down(staff, unit_a, unit_a_child):
    rows = [basic(n, unit_a) for n in range(1, 4)] + [basic(n, unit_a_child) for n in (4, 5)]
    rows += [basic(6, unit_a)]
    for row in rows[1:3] + rows[4:5]:
        row[5] = None
    rows[5][5] = None  # blank, and not merged: that is a missing unit
    content = workbook_bytes(BASIC, *rows, merges=["F2:F4", "F5:F6"])
    job = check(staff, content)
    assert problems(job) == [(7, "所在单位", "required")]
    assert messages(job) == ["此列为必填项，请填写。"]
    rows[5][5] = unit_a.name
    job = commit(check(staff, workbook_bytes(BASIC, *rows, merges=["F2:F4", "F5:F6"])))
    assert job.status == ImportJob.Status.DONE
    units = dict(Cadre.objects.values_list("name", "unit__name"))
    assert list(units.values()).count(unit_a.name) == 4
    assert list(units.values()).count(unit_a_child.name) == 2


def test_a_merged_unit_over_blank_rows_does_not_make_them_cadres(staff, unit_a):
    rows = [basic(1, unit_a), [None] * 5, [None] * 5, basic(4, unit_a)]
    rows[3][5] = unit_a.name
    job = check(staff, workbook_bytes(BASIC, *rows, merges=["F2:F4"]))
    assert job.status == ImportJob.Status.VALID, job.errors
    assert job.total_rows == 2
