"""Crafted uploads are refused quickly, with a message, before any import job exists.

Each crafted file is built here, part by part, as a probe built it: a small .xlsx whose
one cell unpacks to 100 MB, three million blank rows, 16,384 columns, a zip bomb. The
refusal is timed inside the test: the point is a bound (each is refused in far under a
second on a laptop; the test allows two).
"""

import io
import time
import zipfile

import openpyxl
import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cadres.models import Cadre
from ledger.models import ImportJob
from ledger.services import import_job_create, import_job_validate
from ledger.upload_limits import UploadLimits
from ledger.xlsx_reader import xlsx_rows

from .conftest import HEADERS, person, upload_file, xlsx

pytestmark = pytest.mark.django_db

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SECONDS = 2.0


def workbook(sheet_data: bytes, *, strings: list[bytes] | None = None, extra=None) -> bytes:
    """A minimal .xlsx: one sheet whose <sheetData> holds ``sheet_data``, the shared
    strings (each an <si>'s XML) if given, and any ``extra`` parts."""
    relationships = [
        b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    ]
    if strings is not None:
        relationships.append(
            b'<Relationship Id="rId2" Target="sharedStrings.xml" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        )
    package_ns = b"http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "_rels/.rels": b'<Relationships xmlns="%s"><Relationship Id="rId1" Type="http://'
        b"schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
        b'" Target="xl/workbook.xml"/></Relationships>' % package_ns,
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="干部台账" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="%s">%s</Relationships>'
        % (package_ns, b"".join(relationships)),
        "xl/worksheets/sheet1.xml": b'<worksheet xmlns="%s"><sheetData>%s</sheetData>'
        b"</worksheet>" % (MAIN.encode(), sheet_data),
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = b'<sst xmlns="%s">%s</sst>' % (
            MAIN.encode(),
            b"".join(strings),
        )
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def inline_row(number: int, values: list[str]) -> bytes:
    cells = b"".join(
        b'<c t="inlineStr"><is><t>%s</t></is></c>' % value.encode() for value in values
    )
    return b'<row r="%d">%s</row>' % (number, cells)


HEADER_ROW = inline_row(1, HEADERS)


def refusal(content: bytes, name: str = "台账.xlsx", *, user) -> tuple[ValidationError, float]:
    """Upload ``content`` through the service the upload page calls; the refusal (in
    Chinese) and the seconds it took."""
    with translation.override("zh-hans"):
        started = time.perf_counter()
        with pytest.raises(ValidationError) as caught:
            import_job_create(user=user, upload=upload_file(content, name))
        seconds = time.perf_counter() - started
    assert ImportJob.objects.count() == 0
    return caught.value, seconds


def assert_refused(content, code, *, user, name="台账.xlsx", words=()):
    error, seconds = refusal(content, name, user=user)
    assert error.code == code, error.messages
    message = error.messages[0]
    assert all(word in message for word in words), message
    assert seconds < SECONDS, f"refused in {seconds:.2f} s"
    return message


# The crafted files of the probe ----------------------------------------------------------


def test_one_shared_string_of_100_mb_is_refused_from_the_zip_directory(staff):
    huge = b"<si><t>" + b"A" * 100_000_000 + b"</t></si>"
    content = workbook(HEADER_ROW + b'<row r="2"><c t="s"><v>0</v></c></row>', strings=[huge])
    assert len(content) < 1_000_000  # small packed, 100 MB unpacked
    message = assert_refused(content, "zip_bomb", user=staff, words=["压缩"])
    assert "100" in message


def test_a_long_shared_string_is_refused_as_it_is_read(staff, settings):
    # Ratio and size checks lifted: the stream stops at the first cell past the limit.
    settings.IMPORT_MAX_COMPRESSION_RATIO = 10**9
    settings.IMPORT_MAX_UNZIPPED_PART_MB = settings.IMPORT_MAX_UNZIPPED_MB = 1000
    huge = b"<si><r><t>" + b"A" * 100_000_000 + b"</t></r></si>"
    content = workbook(HEADER_ROW, strings=[huge])
    assert_refused(content, "cell_too_long", user=staff, words=["32,767"])


def test_a_long_inline_string_in_the_sheet_is_refused_as_it_is_read(staff, settings):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 10**9
    settings.IMPORT_MAX_UNZIPPED_PART_MB = settings.IMPORT_MAX_UNZIPPED_MB = 1000
    content = workbook(HEADER_ROW + inline_row(2, ["张三", "男", "x" * 100_000_000]))
    assert_refused(content, "cell_too_long", user=staff)


def test_a_cell_longer_than_excel_allows_is_refused(staff):
    # Small enough to pass every check of the zip: refused for its length alone.
    content = workbook(HEADER_ROW + inline_row(2, ["张" * 40_000]))
    assert_refused(content, "cell_too_long", user=staff, words=["32,767"])


def test_three_million_blank_rows_end_the_data_at_the_first_thousand(staff):
    blank = b"".join(b'<row r="%d"/>' % number for number in range(2, 3_000_002))
    content = workbook(HEADER_ROW + blank)
    assert len(content) < 20 * 1024 * 1024
    assert_refused(content, "no_rows", user=staff)


def test_200_rows_of_16384_columns_are_refused_at_the_first(staff):
    row = b"".join(b"<c><v>%d</v></c>" % column for column in range(16_384))
    content = workbook(b"".join(b'<row r="%d">%s</row>' % (n, row) for n in range(1, 201)))
    assert_refused(content, "too_many_columns", user=staff)


def test_a_cell_beyond_the_column_limit_is_refused(staff):
    content = workbook(
        HEADER_ROW + b'<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    assert_refused(content, "too_many_columns", user=staff, words=["256"])


def test_a_row_of_16384_unnumbered_cells_is_refused(staff):
    # Small once packed and below the ratio check's 1 MB: the column cap stops it.
    row = b"<c><v>1</v></c>" * 16_384
    content = workbook(HEADER_ROW + b'<row r="2">%s</row>' % row)
    assert_refused(content, "too_many_columns", user=staff)


def test_a_zip_bomb_is_refused_from_the_directory(staff):
    content = workbook(HEADER_ROW, extra={"xl/media/image1.png": b"\0" * 50_000_000})
    assert_refused(content, "zip_bomb", user=staff)


def test_a_workbook_unpacking_past_the_total_is_refused(staff, settings):
    settings.IMPORT_MAX_UNZIPPED_MB = 1
    noise = bytes(range(256)) * 8_000  # 2 MB that barely packs
    content = workbook(HEADER_ROW, extra={"xl/media/image1.bin": noise})
    assert_refused(content, "unzipped_too_large", user=staff, words=["1 MB"])


def test_a_large_workbook_part_read_whole_is_refused(staff):
    # 20 MB of workbook.xml that packs too well for a bomb.
    sheets = b"".join(b'<sheet name="%d"/>' % n for n in range(1_000_000))
    content = workbook(
        HEADER_ROW,
        extra={
            "xl/workbook.xml": b'<workbook xmlns="%s"><sheets>%s</sheets></workbook>'
            % (MAIN.encode(), sheets)
        },
    )
    assert_refused(content, "part_too_large", user=staff, words=["xl/workbook.xml"])


def test_xml_with_a_doctype_is_not_read(staff):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    content = workbook(HEADER_ROW, strings=[])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/sharedStrings.xml"] = laughs + parts["xl/sharedStrings.xml"].replace(
        b"</sst>", b"<si><t>&b;</t></si></sst>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert_refused(out.getvalue(), "unreadable", user=staff)


def test_more_rows_than_allowed_are_refused(staff, unit_a, settings):
    settings.IMPORT_MAX_ROWS = 5
    rows = [person(n, unit_a) for n in range(1, 7)]
    assert_refused(xlsx(rows), "too_many_rows", user=staff, words=["5"])
    assert_refused(_csv(rows), "too_many_rows", user=staff, name="a.csv")


def test_a_file_over_the_size_limit_is_refused_by_the_form(client, staff, settings):
    settings.IMPORT_MAX_FILE_MB = 1
    client.force_login(staff)
    response = client.post(
        reverse("ledger:upload"), {"file": upload_file(b"x" * (1024 * 1024 + 1), "a.csv")}
    )
    assert response.status_code == 200
    assert "1 MB" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_upload_page_shows_the_refusal_in_chinese(client, staff):
    client.force_login(staff)
    content = workbook(HEADER_ROW, extra={"xl/media/image1.png": b"\0" * 50_000_000})
    started = time.perf_counter()
    response = client.post(reverse("ledger:upload"), {"file": upload_file(content)})
    assert time.perf_counter() - started < SECONDS
    assert response.status_code == 200
    assert "压缩" in response.content.decode()
    assert ImportJob.objects.count() == 0


# Blank rows, as a real file has them -----------------------------------------------------


def test_blank_rows_inside_the_data_are_skipped_and_a_long_run_ends_it(staff, unit_a):
    rows = [person(n, unit_a) for n in range(1, 4)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "干部台账"
    sheet.append(list(rows[0]))
    sheet.append(list(rows[0].values()))
    for _blank in range(998):  # fewer than the run that ends the data
        sheet.append([])
    sheet.append(list(rows[1].values()))
    # A cell far below, as when someone typed in the sheet's last row.
    sheet.cell(row=1_048_576, column=1, value="备注")
    sheet.cell(row=5000, column=1, value=rows[2]["姓名"])
    out = io.BytesIO()
    book.save(out)
    _job, ledger = import_job_create(user=staff, upload=upload_file(out.getvalue()))
    assert [row[-1] for row in ledger.rows] == [2, 1001]


# .csv ------------------------------------------------------------------------------------


def _csv(rows: list[dict], extra_lines: str = "") -> bytes:
    headers = list(rows[0])
    lines = [",".join(headers)] + [",".join(str(row[h]) for h in headers) for row in rows]
    return ("\r\n".join(lines) + "\r\n" + extra_lines).encode("utf-8-sig")


def test_csv_with_three_million_blank_lines_has_no_rows(staff, unit_a):
    content = _csv([person(1, unit_a)])[: _csv([person(1, unit_a)]).index(b"\r\n") + 2]
    assert_refused(content + b"\r\n" * 3_000_000, "no_rows", user=staff, name="台账.csv")


def test_csv_line_of_millions_of_commas_is_refused(staff, unit_a):
    content = _csv([person(1, unit_a)], extra_lines="," * 5_000_000)
    assert_refused(content, "line_too_long", user=staff, name="台账.csv")


def test_csv_with_too_many_columns_is_refused(staff, unit_a):
    content = _csv([person(1, unit_a)], extra_lines="x," * 300)
    assert_refused(content, "too_many_columns", user=staff, name="台账.csv")


def test_csv_cell_longer_than_excel_allows_is_refused(staff, unit_a):
    content = _csv([person(1, unit_a, 姓名="长" * 40_000)])
    assert_refused(content, "cell_too_long", user=staff, name="台账.csv")


# Control characters ----------------------------------------------------------------------


def test_control_characters_are_stripped_from_imported_values(staff, unit_a):
    from ledger.services import import_job_commit, import_job_mark_importing

    row = person(1, unit_a, 姓名="张\x00三\x07")
    row["家庭住址"] = "城关镇\t东关社区\x00"
    row["备注"] = '"第一行\r\n第二行\x00\t完"'
    content = _csv([row])
    job, sheet = import_job_create(user=staff, upload=upload_file(content, "a\x00.csv"))
    assert "\x00" not in job.original_name
    job = import_job_validate(job=job, sheet=sheet)
    assert job.status == ImportJob.Status.VALID, job.errors
    assert import_job_mark_importing(job=job)
    import_job_commit(job=job)
    cadre = Cadre.objects.get()
    assert cadre.name == "张三"
    assert cadre.address == "城关镇 东关社区"
    assert cadre.notes == "第一行\n第二行\t完"


# The reader gives what openpyxl gives ----------------------------------------------------


def _openpyxl_rows(data: bytes) -> dict[int, list]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = {}
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = list(values)
        while values and values[-1] in (None, ""):
            values.pop()
        if values:
            rows[number] = values
    return rows


def _our_rows(data: bytes) -> dict[int, list]:
    limits = UploadLimits.from_settings()
    return {
        number: values
        for number, values in xlsx_rows(data, limits=limits, sheet_name="Sheet1")
        if values
    }


def test_values_read_as_openpyxl_reads_them():
    import datetime

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("Sheet1")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    chinese_date = book.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, "=HYPERLINK(1)")
    sheet.write_number(0, 1, 12)
    sheet.write_number(0, 2, 1.5)
    sheet.write_boolean(0, 3, True)
    sheet.write_datetime(0, 4, datetime.date(1950, 3, 15), date)
    sheet.write_datetime(0, 5, datetime.date(1975, 7, 1), chinese_date)
    sheet.write_rich_string(0, 6, "张", bold, "三", "丰")
    sheet.write_formula(0, 7, "=B1*2", None, 24)
    sheet.write_string(0, 9, "  spaced  ")
    sheet.write_number(2, 0, 110101195003150013)
    book.close()
    assert _our_rows(out.getvalue()) == _openpyxl_rows(out.getvalue())

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["a", 1, 2.25, False, datetime.datetime(1950, 3, 15, 8, 30), None, "b"])
    sheet.append([])
    sheet.append([None, None, "c"])
    out = io.BytesIO()
    book.save(out)
    assert _our_rows(out.getvalue()) == _openpyxl_rows(out.getvalue())
