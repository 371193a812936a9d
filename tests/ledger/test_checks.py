"""Each check of a ledger row, through the services the pages use: the problem is
reported on its row (the sheet's row number) and column, nothing else is flagged."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from cadres.models import Cadre
from ledger.models import ImportJob
from ledger.services import import_job_create, import_job_validate
from tests.factories import (
    CadreFactory,
    PartyBranchFactory,
    UnitFactory,
    UserFactory,
    make_id_number,
)

from .conftest import person, upload_file, xlsx

pytestmark = pytest.mark.django_db


def check(user, rows, name="台账.xlsx", content=None) -> ImportJob:
    job, sheet = import_job_create(user=user, upload=upload_file(content or xlsx(rows), name))
    return import_job_validate(job=job, sheet=sheet)


def problems(job) -> list[tuple]:
    return [(p["row"], p["column"], p["code"]) for p in job.errors]


def test_a_correct_file_is_ready_with_a_preview(staff, unit_a, unit_a_child, branch):
    rows = [person(1, unit_a), person(2, unit_a_child, 党支部=branch.name)]
    rows[0].update(紧急联系人姓名="李明", 紧急联系人关系="儿子", 紧急联系人电话="13900000000")
    job = check(staff, rows)
    assert job.status == ImportJob.Status.VALID
    assert (job.errors, job.error_count, job.bad_rows) == ([], 0, 0)
    assert (job.total_rows, job.processed_rows) == (2, 2)
    assert job.preview["cadres"] == 2
    assert (job.preview["contacts"], job.preview["branch_members"]) == (1, 1)
    first = job.preview["rows"][0]
    assert (first["row"], first["name"], first["unit"]) == (2, rows[0]["姓名"], "县教育局")
    assert first["contact"] == "李明（子女）13900000000"
    # Unit staff see ID numbers masked, even in their own preview.
    assert "*" in first["id_number"]
    assert Cadre.objects.count() == 0  # checking writes nothing


def test_bad_check_digit(staff, unit_a):
    row = person(1, unit_a)
    last = row["身份证号"][-1]
    row["身份证号"] = row["身份证号"][:-1] + ("1" if last == "0" else "0")
    job = check(staff, [person(2, unit_a), row])
    assert job.status == ImportJob.Status.INVALID
    assert problems(job) == [(3, "身份证号", "id_checksum")]
    assert job.errors[0]["value"] == row["身份证号"]
    assert (job.error_count, job.bad_rows) == (1, 1)


def test_impossible_and_unreadable_dates(staff, unit_a):
    rows = [
        person(1, unit_a, 出生日期="1950-02-30"),
        person(2, unit_a, 入党时间="去年"),
        person(3, unit_a, 入党时间="2999-01-01"),  # in the future (Cadre.clean)
        person(4, unit_a, 入党时间="1930-01-01"),  # before the birth (Cadre.clean)
        person(5, unit_a, 入党时间="0975-07-01"),  # a typing slip
    ]
    job = check(staff, rows)
    assert problems(job) == [
        (2, "出生日期", "impossible_date"),
        (3, "入党时间", "invalid_date"),
        (4, "入党时间", "invalid"),
        (5, "入党时间", "invalid"),
        (6, "入党时间", "impossible_date"),
    ]


def test_dates_in_the_usual_spellings_are_read(staff, unit_a):
    row = person(1, unit_a)
    birth = datetime.date.fromisoformat(row["出生日期"])
    rows = [
        {**row, "出生日期": f"{birth.year}年{birth.month}月{birth.day}日", "入党时间": "1975.7.1"},
        {**person(2, unit_a), "入党时间": datetime.datetime(1975, 7, 1)},
        {**person(3, unit_a), "入党时间": "19750701"},
    ]
    assert check(staff, rows).status == ImportJob.Status.VALID


def test_unknown_unit_and_ambiguous_unit_name(staff, unit_a, unit_a_child):
    # Two units of the same name under different parents: the code tells them apart.
    UnitFactory(name="离退休办", code="EDU-R", parent=unit_a)
    UnitFactory(name="离退休办", code="EDU1-R", parent=unit_a_child)
    job = check(
        staff,
        [
            person(1, unit_a, 所在单位="县水务局"),
            person(2, unit_a, 所在单位="离退休办"),
            person(3, unit_a, 所在单位="EDU-R"),
        ],
    )
    assert problems(job) == [(2, "所在单位", "unknown_unit"), (3, "所在单位", "ambiguous_unit")]


def test_unit_outside_the_users_units_is_refused(staff, unit_a, unit_b):
    job = check(staff, [person(1, unit_a), person(2, unit_b)])
    assert problems(job) == [(3, "所在单位", "unit_out_of_scope")]


def test_bureau_staff_may_import_into_any_unit(bureau, unit_a, unit_b):
    bureau_staff = UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)
    job = check(bureau_staff, [person(1, unit_a), person(2, unit_b)])
    assert job.status == ImportJob.Status.VALID
    # Bureau staff see ID numbers in full.
    assert "*" not in job.preview["rows"][0]["id_number"]


def test_unknown_branch_and_branch_for_a_non_member(staff, unit_a, branch):
    job = check(
        staff,
        [
            person(1, unit_a, 党支部="不存在的党支部"),
            person(2, unit_a, 党支部=branch.name, 政治面貌="群众", 入党时间=""),
            person(3, unit_a, 党支部=branch.name),
        ],
    )
    assert problems(job) == [(2, "党支部", "unknown_branch"), (3, "党支部", "branch_not_member")]


def test_branches_of_the_same_name_are_told_apart_by_the_unit(staff, unit_a, unit_b):
    mine = PartyBranchFactory(unit=unit_a, name="老干部第一支部")
    PartyBranchFactory(unit=unit_b, name="老干部第一支部")
    job = check(staff, [person(1, unit_a, 党支部="老干部第一支部")])
    assert job.status == ImportJob.Status.VALID
    assert job.preview["rows"][0]["branch"] == mine.name


def test_values_outside_the_choices(staff, unit_a):
    job = check(
        staff,
        [
            person(1, unit_a, 性别="未知"),
            person(2, unit_a, 离退休类别="内退"),
            person(3, unit_a, 紧急联系人姓名="王芳", 紧急联系人关系="朋友"),
        ],
    )
    assert problems(job) == [
        (2, "性别", "invalid_choice"),
        (3, "离退休类别", "invalid_choice"),
        (4, "紧急联系人关系", "invalid_choice"),
    ]
    assert "男、女" in job.errors[0]["message"]


def test_choices_accept_codes_and_common_words(staff, unit_a):
    rows = [
        person(1, unit_a, 政治面貌="党员", 紧急联系人姓名="王芳", 紧急联系人关系="女儿"),
        person(2, unit_a, 政治面貌="cpc", 离退休类别="tuixiu"),
    ]
    rows[0]["民族"] = "回"
    job = check(staff, rows, content=xlsx(rows, headers=[*rows[0]]))
    assert job.status == ImportJob.Status.VALID, job.errors


def test_gender_must_match_the_id_number(staff, unit_a):
    job = check(staff, [person(1, unit_a, 性别="女")])
    assert [(r, c) for r, c, _ in problems(job)] == [(2, "性别")]


def test_duplicate_id_number_inside_the_file(staff, unit_a):
    first = person(1, unit_a)
    again = person(2, unit_a, 身份证号=first["身份证号"], 出生日期=first["出生日期"])
    job = check(staff, [first, person(3, unit_a), again])
    assert problems(job) == [(4, "身份证号", "duplicate_id_in_file")]
    assert "2" in job.errors[0]["message"]  # names the row it repeats


def test_duplicate_id_number_against_the_registry(staff, unit_a, unit_b):
    row = person(1, unit_a)
    # Registered in another unit: the duplicate is found all the same.
    CadreFactory(
        unit=unit_b,
        id_number=row["身份证号"],
        birth_date=datetime.date.fromisoformat(row["出生日期"]),
    )
    job = check(staff, [row])
    assert problems(job) == [(2, "身份证号", "duplicate_id_in_registry")]


def test_a_duplicate_outside_the_users_units_is_not_named(staff, unit_a, unit_b):
    row = person(1, unit_a)
    CadreFactory(
        name="远方",
        unit=unit_b,
        id_number=row["身份证号"],
        birth_date=datetime.date.fromisoformat(row["出生日期"]),
    )
    job = check(staff, [row])
    assert [p["message"] for p in job.errors] == ["该身份证号已在台账中。"]
    shown = repr(job.errors)
    assert "远方" not in shown and unit_b.name not in shown


def test_a_duplicate_inside_the_users_units_names_the_cadre(staff, unit_a, unit_a_child):
    row = person(1, unit_a)
    CadreFactory(
        name="近邻",
        unit=unit_a_child,
        id_number=row["身份证号"],
        birth_date=datetime.date.fromisoformat(row["出生日期"]),
    )
    job = check(staff, [row])
    assert problems(job) == [(2, "身份证号", "duplicate_id_in_registry")]
    assert job.errors[0]["message"] == f"该身份证号已登记为{unit_a_child.name}的近邻。"


def test_bureau_staff_are_told_whose_number_it_is(unit_a, unit_b):
    bureau_staff = UserFactory(unit=unit_a.parent, role=User.Role.BUREAU_STAFF)
    row = person(1, unit_a)
    CadreFactory(
        name="远方",
        unit=unit_b,
        id_number=row["身份证号"],
        birth_date=datetime.date.fromisoformat(row["出生日期"]),
    )
    job = check(bureau_staff, [row])
    assert job.errors[0]["message"] == f"该身份证号已登记为{unit_b.name}的远方。"


def test_duplicate_name_and_birth_date_inside_the_file(staff, unit_a):
    first = person(1, unit_a)
    birth = datetime.date.fromisoformat(first["出生日期"])
    twin = {**first, "身份证号": make_id_number(birth, True, serial=999)}
    job = check(staff, [first, twin])
    assert problems(job) == [(3, "姓名", "duplicate_person_in_file")]


def test_duplicate_name_and_birth_date_against_the_registry(staff, unit_a):
    row = person(1, unit_a)
    birth = datetime.date.fromisoformat(row["出生日期"])
    CadreFactory(
        unit=unit_a,
        name=row["姓名"],
        birth_date=birth,
        id_number=make_id_number(birth, True, serial=998),
    )
    job = check(staff, [row])
    assert problems(job) == [(2, "姓名", "duplicate_person_in_registry")]


def test_emergency_contact_needs_a_name(staff, unit_a):
    job = check(staff, [person(1, unit_a, 紧急联系人电话="13900000000")])
    assert problems(job) == [(2, "紧急联系人姓名", "contact_name_missing")]


def test_a_blank_required_cell(staff, unit_a):
    job = check(staff, [person(1, unit_a, 姓名="  ")])
    assert [(r, c) for r, c, _ in problems(job)] == [(2, "姓名")]


def test_every_bad_row_and_cell_is_listed_in_row_order(staff, unit_a, unit_b):
    rows = [person(n, unit_a) for n in range(1, 8)]
    rows[1]["性别"] = "X"
    rows[1]["出生日期"] = "1950-13-01"
    rows[4]["所在单位"] = unit_b.name
    rows[6]["离退休类别"] = ""
    job = check(staff, rows)
    assert [(r, c) for r, c, _ in problems(job)] == [
        (3, "性别"),
        (3, "出生日期"),
        (6, "所在单位"),
        (8, "离退休类别"),
    ]
    assert (job.error_count, job.bad_rows, job.total_rows) == (4, 3, 7)


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"not a workbook", "台账.xlsx", "unreadable"),
        (b"whatever", "台账.xls", "xls"),
        (b"whatever", "台账.pdf", "file_type"),
        ("姓名,性别\n张三,男\n".encode(), "台账.csv", "no_header"),
        (
            "姓名,性别,出生日期,身份证号\n张三,男,1950-01-01,1\n".encode(),
            "a.csv",
            "missing_columns",
        ),
        ("姓名,性别,出生日期,身份证号,离退休类别,所在单位\n".encode(), "a.csv", "no_rows"),
        (
            "姓名,性别,出生日期,身份证号,离退休类别,所在单位,性别\n".encode(),
            "a.csv",
            "duplicate_column",
        ),
    ],
)
def test_files_that_are_not_a_ledger_are_refused_before_a_job_exists(staff, content, name, code):
    with pytest.raises(ValidationError) as caught:
        import_job_create(user=staff, upload=upload_file(content, name))
    assert caught.value.code == code
    assert not ImportJob.objects.exists()
