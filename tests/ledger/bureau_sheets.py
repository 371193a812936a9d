"""Ledgers as bureaus keep them, each a real .xlsx built here with openpyxl (merged cells
and all), and the services the pages use to check and import them: what the bureau-sheet
tests share."""

import io

import openpyxl

from cadres.models import Hardship, Health, LivingSituation
from ledger.models import ImportJob
from ledger.services import (
    import_job_commit,
    import_job_create,
    import_job_mark_importing,
    import_job_validate,
)

from .conftest import person, upload_file

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
