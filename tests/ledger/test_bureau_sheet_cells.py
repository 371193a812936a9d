"""Cells of a bureau's ledger as people type them (phone numbers, dates, years and months,
是/否), ID numbers in other digits, and messages in Chinese."""

import datetime

import pytest

from cadres.models import Cadre, FamilyContact, Hardship
from ledger import services
from ledger.models import ImportJob
from ledger.services import import_job_mark_importing
from tests.factories import CadreFactory

from .bureau_sheets import BASIC, basic, check, commit, messages, problems, workbook_bytes
from .conftest import person

pytestmark = pytest.mark.django_db


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
