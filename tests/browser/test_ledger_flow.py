"""A ledger travels between units in a real browser: unit B's staff export their cadre
ledger; unit A's staff upload it, see every row refused with the reason, correct the
file, import it, and find the new cadres in the registry, the statistical reports and
their own export."""

import datetime
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadres.age_bands import AgeBand
from cadres.models import Cadre, CadreStatus
from ledger.columns import COLUMNS_BY_KEY, DATA_SHEET
from tests.factories import CadreFactory, UnitFactory, UserFactory, make_id_number

from .test_reminders_pages import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAME = COLUMNS_BY_KEY["name"].header
GENDER = COLUMNS_BY_KEY["gender"].header
BIRTH_DATE = COLUMNS_BY_KEY["birth_date"].header
ID_NUMBER = COLUMNS_BY_KEY["id_number"].header
UNIT = COLUMNS_BY_KEY["unit"].header
# Unit B's cadres (name, age band today, age), and their names in the corrected file.
EXPORTED = [
    ("钱文华", AgeBand.UP_TO_69, 66),
    ("孙建国", AgeBand.SEVENTIES, 75),
    ("李秀兰", AgeBand.EIGHTIES, 86),
]
JOB_URL = re.compile(r"/ledger/(\d+)/$")
RENAMED = {"钱文华": "周立新", "孙建国": "吴志强", "李秀兰": "郑玉梅"}


def years_ago(years: int, *, days: int = 40) -> datetime.date:
    """A birth date safely inside the year of age ``years`` (not near a birthday)."""
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=1) - datetime.timedelta(days=days)


@pytest.fixture
def units():
    bureau = UnitFactory(name="县委老干部局", code="B", kind="bureau")
    unit_a = UnitFactory(name="县教育局", code="EDU", parent=bureau)
    unit_b = UnitFactory(name="县卫健局", code="HEA", parent=bureau)
    UserFactory(username="staff-a", full_name="联络员甲", unit=unit_a)
    UserFactory(username="staff-b", full_name="联络员乙", unit=unit_b)
    # Unit A already has one cadre, in his eighties.
    CadreFactory(name="王德明", unit=unit_a, birth_date=years_ago(82))
    for index, (name, _band, age) in enumerate(EXPORTED):
        CadreFactory(name=name, unit=unit_b, birth_date=years_ago(age), male=index != 2)
    return unit_a, unit_b


def sign_out(page, full_name):
    page.click(f"nav a.dropdown-toggle:has-text('{full_name}')")
    page.click("nav button.dropdown-item:has-text('退出')")
    page.wait_for_selector("input[name=username]")


def open_sheet(path, sheet_name=None):
    workbook = load_workbook(path)
    sheet = workbook[sheet_name] if sheet_name else workbook.active
    return workbook, sheet


def upload(page, base_url, path):
    page.goto(f"{base_url}/ledger/")
    page.wait_for_selector("h1:has-text('导入台账')")
    page.set_input_files("input[name=file]", str(path))
    page.click("main button:has-text('上传并检查')")
    page.wait_for_url(JOB_URL)


def test_import_a_ledger_exported_by_another_unit(live_server, page, shot, units, tmp_path):
    unit_a, unit_b = units
    base = live_server.url

    # Unit B's staff export their ledger.
    sign_in(page, base, "staff-b")
    page.wait_for_selector("h1:has-text('工作台')")
    page.click("nav a.dropdown-toggle:has-text('统计与导出')")
    page.click("nav a.dropdown-item:has-text('导出 Excel')")
    page.wait_for_selector("main button:has-text('下载 Excel')")
    assert page.inner_text("main .card .fs-5") == f"共 {len(EXPORTED)} 人"
    shot("ledger-export-unit-b")
    with page.expect_download() as info:
        page.click("main button:has-text('下载 Excel')")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    exported = tmp_path / "unit-b-ledger.xlsx"
    download.save_as(exported)
    workbook, sheet = open_sheet(exported, DATA_SHEET)
    headers = [cell.value for cell in sheet[1]]
    for header in (NAME, GENDER, BIRTH_DATE, ID_NUMBER, UNIT):
        assert header in headers
    column = {header: index for index, header in enumerate(headers)}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(row[column[NAME]] for row in rows) == sorted(name for name, *_ in EXPORTED)
    assert {row[column[UNIT]] for row in rows} == {unit_b.name}
    sign_out(page, "联络员乙")

    # Unit A's staff upload it as it is: every row is refused, with the reason.
    sign_in(page, base, "staff-a")
    page.wait_for_selector("h1:has-text('工作台')")
    page.click("a.nav-link:has-text('台账')")
    page.click("main a:has-text('导入台账')")
    page.wait_for_selector("h1:has-text('导入台账')")
    shot("ledger-upload")
    upload(page, base, exported)
    page.wait_for_selector("text=文件已检查，发现问题。")
    shot("ledger-preview-errors")
    assert "尚未导入任何数据" in page.inner_text("main .alert-danger")
    problems = page.locator("main table tbody tr")
    table = page.inner_text("main table")
    for row_number in range(2, 2 + len(EXPORTED)):
        assert f"第 {row_number} 行" in table
    # Each row: the cadre is already registered (same name and date of birth), the
    # exported ID number is masked, and unit B is not one that A's staff may import into.
    reasons = {
        NAME: "台账中已有姓名和出生日期都相同的老干部。",
        ID_NUMBER: "身份证号应为17位数字加1位数字或X。",
        UNIT: "无权导入到该单位",
    }
    found = [
        [text.strip() for text in problems.nth(index).locator("td").all_inner_texts()]
        for index in range(problems.count())
    ]
    assert len(found) == len(reasons) * len(EXPORTED)
    for column_name, reason in reasons.items():
        assert sum(1 for row in found if row[1] == column_name and row[3] == reason) == len(
            EXPORTED
        )
    assert {row[2] for row in found if row[1] == UNIT} == {unit_b.name}
    assert not Cadre.objects.filter(unit=unit_a, name__in=RENAMED.values()).exists()

    # Correct the file: A's unit, new valid ID numbers, new names.
    new_ids = {}
    for offset, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        cells = {header: row[index] for header, index in column.items()}
        birth = cells[BIRTH_DATE].value
        birth = birth.date() if isinstance(birth, datetime.datetime) else birth
        assert isinstance(birth, datetime.date)
        name = RENAMED[cells[NAME].value]
        cells[NAME].value = name
        cells[UNIT].value = unit_a.name
        new_ids[name] = make_id_number(birth, cells[GENDER].value == "男", 450 + offset)
        cells[ID_NUMBER].value = new_ids[name]
    corrected = tmp_path / "unit-b-ledger-corrected.xlsx"
    workbook.save(corrected)

    upload(page, base, corrected)
    page.wait_for_selector("text=文件已检查完毕。")
    page.wait_for_selector(f"text=全部 {len(EXPORTED)} 行都正确，可以导入。")
    preview = page.inner_text("main table")
    for name in RENAMED.values():
        assert name in preview
    assert unit_a.name in preview
    shot("ledger-preview-ready")
    job_pk = int(JOB_URL.search(page.url).group(1))
    page.goto(f"{base}{reverse('ledger:commit', args=[job_pk])}")
    page.wait_for_selector("h1:has-text('将该文件导入台账？')")
    shot("ledger-commit-confirm")
    page.click("main button:has-text('确认导入')")
    page.wait_for_selector(f".alert-success:has-text('已将 {len(EXPORTED)} 名老干部导入台账。')")
    shot("ledger-imported")

    imported = Cadre.objects.filter(unit=unit_a, name__in=RENAMED.values())
    assert {cadre.name: cadre.id_number for cadre in imported} == new_ids
    assert all(cadre.status == CadreStatus.ON_REGISTER for cadre in imported)
    assert Cadre.objects.filter(unit=unit_b).count() == len(EXPORTED)  # B's rows untouched
    total_a = Cadre.objects.filter(unit=unit_a).count()
    assert total_a == 1 + len(EXPORTED)

    page.click("main a:has-text('打开台账')")
    page.wait_for_selector("main table")
    registry = page.inner_text("main table")
    for name in RENAMED.values():
        assert name in registry
    shot("ledger-registry-after-import")

    # The statistical report counts them, on the page and in its .xlsx.
    page.click("nav a.dropdown-toggle:has-text('统计与导出')")
    page.click("nav a.dropdown-item:has-text('统计报表')")
    page.wait_for_selector("main .list-group")
    page.click("main a:has-text('离退休干部年龄结构统计表（分单位）')")
    page.wait_for_selector("h1:has-text('离退休干部年龄结构统计表（分单位）')")
    headers = [
        text.strip() for text in page.locator("table.report-table thead th").all_inner_texts()
    ]
    unit_row = page.locator(f"table.report-table tbody tr:has(td:text-is('{unit_a.name}'))")
    unit_cells = [text.strip() for text in unit_row.locator("td").all_inner_texts()]
    total_cells = [
        text.strip() for text in page.locator("table.report-table tfoot td").all_inner_texts()
    ]
    # Unit A's cadre in his eighties, and one of B's in each of the first three bands.
    bands = Counter([AgeBand.EIGHTIES, *(band for _name, band, _age in EXPORTED)])
    expected_bands = [bands[band] for band in AgeBand]
    assert unit_cells[0] == unit_a.name and unit_cells[-1] == str(total_a)
    assert total_cells[0] == "合计" and total_cells[-1] == str(total_a)
    assert len(headers) == len(unit_cells) == 2 + len(AgeBand)
    assert [int(text) for text in unit_cells[1:-1]] == expected_bands
    assert unit_b.name not in page.inner_text("table.report-table")
    shot("ledger-report-age-bands")
    with page.expect_download() as info:
        page.click("main a:has-text('下载Excel')")
    report_file = tmp_path / "age-bands.xlsx"
    info.value.save_as(report_file)
    report_rows = [
        list(row) for row in load_workbook(report_file).active.iter_rows(values_only=True)
    ]
    by_label = {row[0]: row for row in report_rows if row and row[0]}
    assert by_label["合计"][-1] == total_a
    assert list(by_label[unit_a.name][1:]) == [*expected_bands, total_a]

    # Unit A's own ledger export now lists the imported cadres with the one already there.
    page.click("nav a.dropdown-toggle:has-text('统计与导出')")
    page.click("nav a.dropdown-item:has-text('导出 Excel')")
    page.wait_for_selector("main button:has-text('下载 Excel')")
    shot("ledger-export-unit-a")
    with page.expect_download() as info:
        page.click("main button:has-text('下载 Excel')")
    own = tmp_path / "unit-a-ledger.xlsx"
    info.value.save_as(own)
    _workbook, own_sheet = open_sheet(own, DATA_SHEET)
    own_headers = [cell.value for cell in own_sheet[1]]
    own_rows = list(own_sheet.iter_rows(min_row=2, values_only=True))
    names = {row[own_headers.index(NAME)] for row in own_rows}
    assert names == {"王德明", *RENAMED.values()}
    assert {row[own_headers.index(UNIT)] for row in own_rows} == {unit_a.name}
