"""Bureaus' ledgers with two-row headers under merged group headers, and columns whose
header is not understood."""

import pytest

from cadres.models import Cadre, FamilyContact
from ledger.models import ImportJob
from ledger.services import import_job_mark_importing

from .bureau_sheets import (
    BASIC,
    EXPECTED_CARE,
    basic,
    check,
    commit,
    grouped_ledger,
    workbook_bytes,
)
from .conftest import person

pytestmark = pytest.mark.django_db


def test_group_headers_merged_over_sub_headers_are_read_as_one_header(staff, unit_a):
    job = check(staff, grouped_ledger(unit_a, [1, 2, 3]))
    assert job.status == ImportJob.Status.VALID, job.errors
    assert (job.ignored_columns, job.unknown_columns, job.skipped_rows) == ([], [], 0)
    # The cadres start below the second header row.
    assert [row["row"] for row in job.preview["rows"]] == [4, 5, 6]
    job = commit(job)
    assert job.status == ImportJob.Status.DONE, job.failure
    for n, (health, living, hardship) in EXPECTED_CARE.items():
        cadre = Cadre.objects.with_id_number(person(n, unit_a)["身份证号"]).get()
        assert (cadre.phone, cadre.address) == (f"1390000{n:04d}", f"城关镇人民路{n}号")
        assert (cadre.health, cadre.living_situation, cadre.hardship) == (health, living, hardship)


def test_group_header_row_above_the_header_row(staff, unit_a):
    """The header row found is the lower one: the row above it holds only groups."""
    top = ["基本情况", None, None, None, None, None, "联系方式", None]
    header = [*BASIC, "电话", "住址"]
    content = workbook_bytes(
        top,
        header,
        [*basic(1, unit_a), "139 0000 0001", "人民路1号"],
        merges=["A1:F1", "G1:H1"],
    )
    job = check(staff, content)
    assert job.status == ImportJob.Status.VALID, job.errors
    assert job.unknown_columns == []
    commit(job)
    cadre = Cadre.objects.get()
    assert (cadre.phone, cadre.address) == ("13900000001", "人民路1号")


def test_an_emergency_contact_group_and_a_family_group_of_the_same_sub_headers(staff, unit_a):
    """紧急联系人 over 姓名/关系/电话 is the emergency contact; 家属 over 姓名/电话 is not
    understood: its 姓名 is not a second 姓名 column, so the group is about someone
    else, and its 电话 is not the cadre's phone."""
    top = [*BASIC, "紧急联系人", None, None, "家属", None]
    sub = [None] * 6 + ["姓名", "关系", "电话", "姓名", "电话"]
    content = workbook_bytes(
        top,
        sub,
        [*basic(1, unit_a), "李明", "儿子", "１３９ ００００ ９９９９", "王芳", "13800000000"],
        merges=[*(f"{column}1:{column}2" for column in "ABCDEF"), "G1:I1", "J1:K1"],
    )
    job = check(staff, content)
    assert job.status == ImportJob.Status.VALID, job.errors
    assert job.unknown_columns == [
        {"header": "家属·姓名", "column": "J", "cells": 1},
        {"header": "家属·电话", "column": "K", "cells": 1},
    ]
    commit(job, unknown_columns_confirmed=True)
    contact = FamilyContact.objects.get()
    assert (contact.name, contact.relation, contact.phone) == (
        "李明",
        FamilyContact.Relation.CHILD,
        "13900009999",
    )


# Columns not understood --------------------------------------------------------------------


def test_deleting_the_sub_header_row_leaves_columns_that_must_be_confirmed(staff, unit_a):
    """The obvious "fix" of a two-row header: the sub-headers deleted, the data of 联系方式
    and 身体与生活 lies under headers that are not understood. It is not dropped
    silently: each column is named with its filled cells, and nothing is imported
    until leaving them out is confirmed."""
    job = check(staff, grouped_ledger(unit_a, [1, 2, 3], sub_headers=False))
    assert job.status == ImportJob.Status.VALID, job.errors
    assert job.unknown_columns == [
        {"header": "联系方式", "column": "H", "cells": 3},
        {"header": "联系方式", "column": "I", "cells": 3},
        {"header": "身体与生活", "column": "J", "cells": 3},
        {"header": "身体与生活", "column": "K", "cells": 3},
        {"header": "身体与生活", "column": "L", "cells": 3},
    ]
    assert not import_job_mark_importing(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALID
    assert Cadre.objects.count() == 0
    job = commit(job, unknown_columns_confirmed=True)
    assert job.status == ImportJob.Status.DONE
    assert Cadre.objects.count() == 3
    assert set(Cadre.objects.values_list("phone", flat=True)) == {""}


def test_unknown_and_headerless_columns_with_data_are_counted(staff, unit_a):
    header = [*BASIC, "备注2", "身份证有效期", None]
    rows = [[*basic(n, unit_a), f"说明{n}" if n % 2 else None, None, "x"] for n in range(1, 6)]
    job = check(staff, workbook_bytes(header, *rows))
    assert job.status == ImportJob.Status.VALID, job.errors
    assert job.unknown_columns == [
        {"header": "备注2", "column": "G", "cells": 3},
        {"header": "", "column": "I", "cells": 5},
    ]
    assert job.ignored_columns == ["身份证有效期"]  # a header with no data under it
