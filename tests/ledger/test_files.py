"""Reading ledgers as Excel and Chinese Windows save them, and the template."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from ledger.cells import CellError
from ledger.columns import (
    COLUMNS_BY_KEY,
    LEDGER_COLUMNS,
    column_for_header,
    with_ledger_annotations,
)
from ledger.models import ImportJob
from ledger.services import import_job_create, import_job_validate
from ledger.spreadsheets import LedgerSheet, read_ledger
from tests.factories import BranchRoleFactory, CadreFactory, FamilyContactFactory

from .conftest import csv_bytes, person, upload_file, xlsx

pytestmark = pytest.mark.django_db


def check(user, content, name):
    job, sheet = import_job_create(user=user, upload=upload_file(content, name))
    return import_job_validate(job=job, sheet=sheet)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_and_utf8_with_or_without_bom(staff, unit_a, encoding):
    rows = [person(1, unit_a), person(2, unit_a)]
    content = csv_bytes(rows, encoding=encoding)
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            content.decode("utf-8")  # really not UTF-8
    job = check(staff, content, "台账.csv")
    assert job.status == ImportJob.Status.VALID, job.errors
    assert [row["name"] for row in job.preview["rows"]] == [rows[0]["姓名"], rows[1]["姓名"]]


def test_bad_rows_of_a_gbk_csv_show_the_chinese_value(staff, unit_a):
    rows = [person(1, unit_a), person(2, unit_a, 所在单位="县水务局")]
    job = check(staff, csv_bytes(rows, encoding="gbk"), "台账.csv")
    assert [(p["row"], p["column"], p["value"]) for p in job.errors] == [
        (3, "所在单位", "县水务局")
    ]


def test_title_row_blank_rows_and_header_variants(staff, unit_a):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    rows = [person(1, unit_a), person(2, unit_a)]
    headers = [" 姓名 ", "性别", "出生日期", "身份证号码", "离退休类别", "所在单位（供养关系）"]
    headers += ["本单位内部编号"]
    keys = ["姓名", "性别", "出生日期", "身份证号", "离退休类别", "所在单位"]
    sheet.append(["县教育局离退休干部台账"])
    sheet.append(headers)
    sheet.append([*(rows[0][key] for key in keys), "A-1"])
    sheet.append([])
    sheet.append([None, "", None])
    sheet.append([*(rows[1][key] for key in keys), "A-2"])
    out = io.BytesIO()
    workbook.save(out)
    job = check(staff, out.getvalue(), "台账.xlsx")
    assert job.status == ImportJob.Status.VALID, job.errors
    # A column with data under a header the ledger does not have is named, with its
    # filled cells, for the user to confirm leaving it out.
    assert job.ignored_columns == []
    assert job.unknown_columns == [{"header": "本单位内部编号", "column": "G", "cells": 2}]
    # Row numbers are those Excel shows, blank rows counted.
    assert [row["row"] for row in job.preview["rows"]] == [3, 6]


def test_an_id_number_stored_as_a_number_lost_its_digits(staff, unit_a):
    row = person(1, unit_a)
    row["身份证号"] = float(row["身份证号"])
    job = check(staff, xlsx([row]), "台账.xlsx")
    assert [(p["column"], p["code"]) for p in job.errors] == [("身份证号", "id_as_number")]


def test_real_excel_dates_and_lowercase_x_are_read(staff, unit_a):
    row = person(1, unit_a)
    row["出生日期"] = datetime.datetime.fromisoformat(row["出生日期"])
    row["入党时间"] = datetime.date(1975, 7, 1)
    row["身份证号"] = row["身份证号"].lower() + " "
    job = check(staff, xlsx([row]), "台账.xlsx")
    assert job.status == ImportJob.Status.VALID, job.errors


def test_rows_kept_as_json_read_back_the_same():
    data = xlsx(
        [
            {
                "姓名": "张三",
                "出生日期": datetime.datetime(1950, 3, 15),
                "身份证号": 1.1e17,
                "性别": "男",
                "离退休类别": "退休",
                "所在单位": "县教育局",
            }
        ]
    )
    sheet = read_ledger(data, name="a.xlsx")
    again = LedgerSheet.from_json(sheet.to_json())
    assert again.columns == sheet.columns
    assert again.rows == [("张三", "1950-03-15", 1.1e17, "男", "退休", "县教育局", 2)]


def test_column_headers_and_widgets():
    assert column_for_header("身份证号码 *") is COLUMNS_BY_KEY["id_number"]
    assert column_for_header("健康状况") is COLUMNS_BY_KEY["health"]
    assert column_for_header("备  注") is COLUMNS_BY_KEY["notes"]
    assert column_for_header("籍贯") is None
    assert len({column.header for column in LEDGER_COLUMNS}) == len(LEDGER_COLUMNS)
    date = COLUMNS_BY_KEY["birth_date"]
    assert date.parse("１９５０－０３－１５") == datetime.date(1950, 3, 15)
    assert date.parse(18337) == datetime.date(1950, 3, 15)  # an Excel day number
    with pytest.raises(CellError) as caught:
        date.parse("1950-02-29")
    assert caught.value.code == "impossible_date"
    assert COLUMNS_BY_KEY["celebrates_lunar_birthday"].parse("是") is True
    assert COLUMNS_BY_KEY["celebrates_lunar_birthday"].parse("") is False


def test_every_column_renders_what_it_parses(unit_a, branch):
    cadre = CadreFactory(unit=unit_a, rank="section_chief", celebrates_lunar_birthday=True)
    FamilyContactFactory(cadre=cadre, is_emergency_contact=True, relation="spouse")
    BranchRoleFactory(branch=branch, cadre=cadre)
    annotated = with_ledger_annotations(type(cadre).objects.filter(pk=cadre.pk)).get()
    for column in LEDGER_COLUMNS:
        rendered = column.render(annotated)
        assert rendered == column.render(cadre), column.key  # annotations or queries
        if not column.imported:
            continue
        parsed = column.parse(rendered)
        if column.key == "unit":
            assert parsed == unit_a
        elif column.key == "branch":
            assert parsed == branch
        elif column.attribute:
            assert parsed == getattr(cadre, column.attribute), column.key
    assert COLUMNS_BY_KEY["contact_relation"].render(annotated) == "配偶"
    assert COLUMNS_BY_KEY["political_status"].render(cadre) == "中共党员"


def test_template_round_trip(client, staff, unit_a, branch):
    client.force_login(staff)
    response = client.get(reverse("ledger:template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["干部台账", "说明", "选项"]
    sheet = workbook["干部台账"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.header for column in LEDGER_COLUMNS if column.imported]
    assert sheet.cell(row=2, column=headers.index("身份证号") + 1).number_format == "@"
    choices = workbook["选项"]
    lists = {col[0].value: [c.value for c in col[1:] if c.value] for col in choices.columns}
    assert lists["性别"] == ["男", "女"]
    assert unit_a.name in lists["所在单位"]
    assert branch.name in lists["党支部"]
    notes = [row[0] for row in workbook["说明"].iter_rows(values_only=True)]
    assert "紧急联系人姓名" in notes
    # Fill the template in as a user would and upload it.
    rows = [person(1, unit_a, 党支部=branch.name), person(2, unit_a)]
    for offset, row in enumerate(rows, start=2):
        for index, header in enumerate(headers, start=1):
            sheet.cell(row=offset, column=index, value=row.get(header))
    out = io.BytesIO()
    workbook.save(out)
    client.post(reverse("ledger:upload"), {"file": upload_file(out.getvalue(), "模板.xlsx")})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.VALID, job.errors
    client.post(reverse("ledger:commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 2)
