"""Ledgers as bureaus keep them, each a real .xlsx built here with openpyxl (merged cells
and all), read through the services the pages use: two-row headers under merged group
headers, columns whose header is not understood, 序号 and footer rows, a unit's name
merged down, phone numbers and dates as people type them, and messages in Chinese."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from cadres.models import Cadre, FamilyContact, Hardship, Health, LivingSituation
from ledger import services
from ledger.models import ImportJob
from ledger.services import (
    import_job_commit,
    import_job_create,
    import_job_mark_importing,
    import_job_validate,
)
from tests.factories import CadreFactory

from .conftest import person, upload_file
from .test_upload_limits import MAIN, workbook

pytestmark = pytest.mark.django_db

BASIC = ["姓名", "性别", "出生日期", "身份证号", "离退休类别", "所在单位"]


def workbook_bytes(*rows, merges=(), title="Sheet1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def check(user, content: bytes) -> ImportJob:
    job, sheet = import_job_create(user=user, upload=upload_file(content))
    return import_job_validate(job=job, sheet=sheet)


def commit(job, **confirm) -> ImportJob:
    assert import_job_mark_importing(job=job, **confirm)
    return import_job_commit(job=job)


def problems(job) -> list[tuple]:
    return [(p["row"], p["column"], p["code"]) for p in job.errors]


def messages(job) -> list[str]:
    return [p["message"] for p in job.errors]


def basic(n, unit, **changes) -> list:
    row = person(n, unit, **changes)
    return [row[header] for header in BASIC]


def care(n) -> dict:
    """Phone, address, health and living situation of the n-th cadre, as typed."""
    return {
        "电话": f"1390000{n:04d}",
        "住址": f"城关镇人民路{n}号",
        "身体状况": ["良好", "一般", "卧床"][n % 3],
        "居住状况": ["独居", "空巢", "与家人同住"][n % 3],
        "生活困难": ["是", "否", "特困"][n % 3],
    }


EXPECTED_CARE = {
    1: (Health.FAIR, LivingSituation.EMPTY_NEST, Hardship.NONE),
    2: (Health.BEDRIDDEN, LivingSituation.WITH_FAMILY, Hardship.EXTREME),
    3: (Health.GOOD, LivingSituation.ALONE, Hardship.DIFFICULT),
}


def grouped_ledger(unit, numbers, *, sub_headers=True) -> bytes:
    """A bureau's 登记表: a title merged across the table; 序号 and the basic columns
    merged down over two header rows; 联系方式 merged over 电话 and 住址, 身体与生活
    over 身体状况, 居住状况 and 生活困难."""
    top = ["序号", *BASIC, "联系方式", None, "身体与生活", None, None]
    sub = [None] * 7 + ["电话", "住址", "身体状况", "居住状况", "生活困难"]
    rows = [[index, *basic(n, unit), *care(n).values()] for index, n in enumerate(numbers, start=1)]
    merges = ["A1:L1", "H2:I2", "J2:L2"]
    if sub_headers:
        merges += [f"{column}2:{column}3" for column in "ABCDEFG"]
        return workbook_bytes(["县教育局离退休干部基本情况登记表"], top, sub, *rows, merges=merges)
    return workbook_bytes(["县教育局离退休干部基本情况登记表"], top, *rows, merges=merges)


# Two-row headers --------------------------------------------------------------------------


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


# Rows that are not cadres ------------------------------------------------------------------


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


# Cells as people type them ----------------------------------------------------------------


def test_phone_numbers_are_normalised_like_id_numbers(staff, unit_a):
    header = [*BASIC, "联系电话", "紧急联系人", "紧急联系人电话"]
    rows = [
        [*basic(1, unit_a), "１３９　００００　１１１１", "李明", "139 0000 2222"],
        [*basic(2, unit_a), "0571-8888 8888", "", ""],
        [*basic(3, unit_a), "13900003333 13800003333", "", ""],
        [*basic(4, unit_a), "١٣٩٠٠٠٠٤٤٤٤", "", ""],
        [*basic(5, unit_a), "139⁰⁰⁰⁰5555", "", ""],
    ]
    job = check(staff, workbook_bytes(header, *rows))
    assert problems(job) == [(5, "联系电话", "phone_digits"), (6, "联系电话", "phone_digits")]
    assert set(messages(job)) == {"请用数字 0–9 填写电话号码。"}
    commit(check(staff, workbook_bytes(header, *rows[:3])))
    phones = dict(Cadre.objects.values_list("name", "phone"))
    assert list(phones.values()) == ["13900001111", "0571-88888888", "13900003333 13800003333"]
    assert FamilyContact.objects.get().phone == "13900002222"


@pytest.mark.parametrize(
    ("value", "example"),
    [
        (2009.02, "2009-02-01"),
        (1988, "1988-01-01"),
        ("2009.02", "2009-02-01"),
        ("2009年2月", "2009-02-01"),
        (200902, "2009-02-01"),
        (1988.1, "1988-10-01"),
    ],
)
def test_a_year_or_year_and_month_in_a_date_column_says_so(staff, unit_a, value, example):
    header = [*BASIC, "政治面貌", "入党时间"]
    content = workbook_bytes(header, [*basic(1, unit_a), "中共党员", value])
    job = check(staff, content)
    assert problems(job) == [(2, "入党时间", "partial_date")]
    shown = str(value)
    assert messages(job) == [f"“{shown}”看起来是年份或年月，请写成 {example} 这样的完整日期。"]


def test_a_real_excel_date_in_a_date_column_is_still_a_date(staff, unit_a):
    header = [*BASIC, "政治面貌", "入党时间"]
    content = workbook_bytes(header, [*basic(1, unit_a), "中共党员", datetime.date(1975, 7, 1)])
    job = commit(check(staff, content))
    assert Cadre.objects.get().party_joined_on == datetime.date(1975, 7, 1)
    assert job.status == ImportJob.Status.DONE


def test_birth_year_and_month_under_chusheng_nianyue_take_the_day_from_the_id(staff, unit_a):
    header = ["姓名", "性别", "出生年月", "身份证号", "离退休类别", "所在单位"]
    born = [datetime.date.fromisoformat(person(n, unit_a)["出生日期"]) for n in range(1, 5)]
    rows = [
        basic(1, unit_a, 出生日期=float(f"{born[0]:%Y.%m}")),  # a number, as Excel keeps it
        basic(2, unit_a, 出生日期=f"{born[1]:%Y-%m}"),
        basic(3, unit_a, 出生日期=f"{born[2].year - 1}.{born[2]:%m}"),  # a year off
        basic(4, unit_a, 出生日期=f"{born[3]:%Y.%m}", 身份证号="11010119400105"),
    ]
    job = check(staff, workbook_bytes(header, *rows))
    assert problems(job) == [
        (4, "出生日期", "birth_month_mismatch"),
        (5, "出生日期", "partial_date"),
        (5, "身份证号", "id_length"),
    ]
    assert messages(job)[0] == (
        f"出生年月“{born[2].year - 1}.{born[2]:%m}”与身份证号（{born[2].isoformat()}）不符。"
    )
    assert messages(job)[1].startswith(f"“{born[3]:%Y.%m}”只有出生年月")
    job = commit(check(staff, workbook_bytes(header, *rows[:2])))
    assert job.status == ImportJob.Status.DONE
    assert sorted(Cadre.objects.values_list("birth_date", flat=True)) == born[:2]


def test_hardship_accepts_yes_and_no(staff, unit_a):
    header = [*BASIC, "生活困难"]
    rows = [[*basic(1, unit_a), "是"], [*basic(2, unit_a), "否"], [*basic(3, unit_a), ""]]
    commit(check(staff, workbook_bytes(header, *rows)))
    assert sorted(Cadre.objects.values_list("hardship", flat=True)) == sorted(
        [Hardship.DIFFICULT, Hardship.NONE, Hardship.NONE]
    )


# ID numbers and messages -------------------------------------------------------------------

OTHER_DIGITS = {
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "devanagari": "०१२३४५६७८९",
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
}


@pytest.mark.parametrize("digits", OTHER_DIGITS.values(), ids=OTHER_DIGITS.keys())
def test_id_numbers_in_other_digits_are_a_format_error_and_never_duplicates(staff, unit_a, digits):
    number = person(1, unit_a)["身份证号"]
    CadreFactory(unit=unit_a, id_number=number)
    other = number.translate(str.maketrans("0123456789", digits))
    rows = [basic(1, unit_a, 身份证号=other), basic(2, unit_a, 身份证号=other)]
    job = check(staff, workbook_bytes(BASIC, *rows))
    # The format, and nothing about the registry or the other row: a number is compared
    # only once it is known to be valid.
    assert problems(job) == [(2, "身份证号", "id_format"), (3, "身份证号", "id_format")]
    assert set(messages(job)) == {"身份证号应为17位数字加1位数字或X。"}
    assert not import_job_mark_importing(job=job)
    assert Cadre.objects.count() == 1


def test_full_width_id_numbers_are_made_standard(staff, unit_a):
    number = person(1, unit_a)["身份证号"]
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in number.lower())
    job = commit(check(staff, workbook_bytes(BASIC, basic(1, unit_a, 身份证号=full_width))))
    assert job.status == ImportJob.Status.DONE
    assert Cadre.objects.with_id_number(number).exists()


def test_no_message_says_null_or_a_length_twice(staff, unit_a):
    rows = [
        basic(1, unit_a, 出生日期=None),
        basic(2, unit_a, 姓名="张" * 60),
        basic(3, unit_a, 性别=None, 离退休类别=None),
    ]
    job = check(staff, workbook_bytes(BASIC, *rows))
    assert problems(job) == [
        (2, "出生日期", "required"),
        (3, "姓名", "max_length"),
        (4, "性别", "required"),
        (4, "离退休类别", "required"),
    ]
    assert all("null" not in message for message in messages(job))
    assert messages(job)[1] == "确保该变量包含不超过 50 字符 (目前字符数 60)。"


def test_a_database_error_at_import_is_told_in_chinese(staff, unit_a, monkeypatch):
    """Someone registers the same ID number after the file was checked, between the
    second check and the write (two imports at once): the database refuses it."""
    rows = [basic(1, unit_a), basic(2, unit_a)]
    job = check(staff, workbook_bytes(BASIC, *rows))
    real_write = services._write

    def write(ready, **kwargs):
        CadreFactory(unit=unit_a, id_number=ready[1].cadre.id_number)
        return real_write(ready, **kwargs)

    monkeypatch.setattr(services, "_write", write)
    job = commit(job)
    assert job.status == ImportJob.Status.FAILED
    assert job.failure == "导入失败，未写入任何数据：系统出错，已记入日志，请告知管理员。"
    assert Cadre.objects.count() == 0


# The pages ---------------------------------------------------------------------------------


def test_the_preview_names_unknown_columns_and_import_needs_the_tick(client, staff, unit_a):
    header = ["序号", *BASIC, "备注2"]
    rows = [[n, *basic(n, unit_a), f"说明{n}"] for n in range(1, 4)]
    content = workbook_bytes(header, *rows, [4], ["填表人：张三"])
    client.force_login(staff)
    response = client.post(reverse("ledger:upload"), {"file": upload_file(content)})
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    body = client.get(response.url).content.decode()
    assert "未识别的列：" in body
    assert "“备注2”（H 列，3 个非空单元格）" in body
    assert "跳过 2 行（只有序号或表尾）。" in body
    assert 'name="ignore_unknown_columns"' in body and "忽略这些列并继续" in body

    commit_url = reverse("ledger:commit", args=[job.pk])
    assert "忽略这些列并继续" in client.get(commit_url).content.decode()
    response = client.post(commit_url)
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == [
        "未导入任何数据：有些列的数据不会导入。请勾选“忽略这些列并继续”，或改正列名后重新上传。"
    ]
    job.refresh_from_db()
    assert (job.status, Cadre.objects.count()) == (ImportJob.Status.VALID, 0)

    response = client.post(commit_url, {"ignore_unknown_columns": "on"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Cadre.objects.count() == 3


def test_a_file_without_unknown_columns_needs_no_tick(client, staff, unit_a):
    client.force_login(staff)
    content = workbook_bytes(BASIC, basic(1, unit_a))
    client.post(reverse("ledger:upload"), {"file": upload_file(content)})
    job = ImportJob.objects.get()
    body = client.get(job.get_absolute_url()).content.decode()
    assert "ignore_unknown_columns" not in body and "未识别的列" not in body
    client.post(reverse("ledger:commit", args=[job.pk]))
    assert Cadre.objects.count() == 1


# The reader ----------------------------------------------------------------------------------


def test_merged_cells_are_found_after_the_rows_with_a_namespace_prefix(staff, unit_a):
    """mergeCells come after sheetData; some writers prefix the spreadsheet namespace."""
    rows = [BASIC, basic(1, unit_a), basic(2, unit_a, 所在单位=None)]

    def cell(value):
        return f'<x:c t="inlineStr"><x:is><x:t>{value}</x:t></x:is></x:c>' if value else "<x:c/>"

    sheet_data = "".join(
        f'<x:row r="{number}">{"".join(cell(value) for value in row)}</x:row>'
        for number, row in enumerate(rows, start=1)
    )
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{sheet_data}</x:sheetData>'
        '<x:mergeCells count="1"><x:mergeCell ref="F2:F3"/></x:mergeCells></x:worksheet>'
    )
    content = workbook(b"", extra={"xl/worksheets/sheet1.xml": sheet.encode()})
    job = check(staff, content)
    assert job.status == ImportJob.Status.VALID, job.errors
    assert job.total_rows == 2


def test_more_merged_cells_than_a_ledger_needs_are_refused(staff, unit_a, settings):
    settings.IMPORT_MAX_ROWS = 10
    rows = [BASIC, *(basic(n, unit_a) for n in range(1, 4))]
    merges = [f"H{n}:I{n}" for n in range(1, 22)]
    with pytest.raises(ValidationError) as refused:
        import_job_create(user=staff, upload=upload_file(workbook_bytes(*rows, merges=merges)))
    assert refused.value.code == "too_many_merged_ranges"
    assert ImportJob.objects.count() == 0
