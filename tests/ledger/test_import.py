"""Importing a checked file: everything in one transaction, or nothing."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from accounts.models import User
from branches.models import BranchRole
from cadres.models import Cadre, FamilyContact
from cadres.pinyin import name_pinyin
from ledger import services
from ledger.columns import LEDGER_COLUMNS, with_ledger_annotations
from ledger.models import ImportJob
from ledger.services import (
    import_job_commit,
    import_job_create,
    import_job_mark_importing,
    import_job_validate,
)
from tests.factories import BranchRoleFactory, CadreFactory, FamilyContactFactory

from .conftest import person, upload_file, xlsx

pytestmark = pytest.mark.django_db


def checked_job(user, rows) -> ImportJob:
    job, sheet = import_job_create(user=user, upload=upload_file(xlsx(rows)))
    job = import_job_validate(job=job, sheet=sheet)
    assert job.status == ImportJob.Status.VALID, job.errors
    return job


def commit(job) -> ImportJob:
    assert import_job_mark_importing(job=job)
    return import_job_commit(job=job)


def counts() -> tuple[int, ...]:
    return (
        Cadre.objects.count(),
        FamilyContact.objects.count(),
        BranchRole.objects.count(),
        Cadre.history.count(),
        FamilyContact.history.count(),
        BranchRole.history.count(),
    )


def test_import_creates_cadres_contacts_and_memberships_like_the_registry_does(
    staff, unit_a, branch
):
    rows = [
        person(1, unit_a, 党支部=branch.name, 紧急联系人姓名="李明", 紧急联系人关系="儿子"),
        person(2, unit_a, 政治面貌="群众", 入党时间=""),
    ]
    rows[1]["紧急联系人电话"] = ""
    job = commit(checked_job(staff, rows))
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 2)
    assert job.finished_at is not None
    first = Cadre.objects.with_id_number(rows[0]["身份证号"]).get()
    assert (first.name_pinyin, first.name_initials) == name_pinyin(rows[0]["姓名"])
    assert first.unit == unit_a
    assert first.birth_date == datetime.date.fromisoformat(rows[0]["出生日期"])
    assert first.party_joined_on == datetime.date(1975, 7, 1)
    assert first.health_changed_on == timezone.localdate()  # as cadre_create sets it
    contact = first.family_contacts.get()
    assert (contact.name, contact.relation, contact.is_emergency_contact) == (
        "李明",
        "child",
        True,
    )
    role = first.branch_roles.get()
    assert (role.branch, role.role, role.started_on, role.ended_on) == (
        branch,
        "member",
        timezone.localdate(),
        None,
    )
    assert not Cadre.objects.with_id_number(rows[1]["身份证号"]).get().branch_roles.exists()
    history = first.history.get()
    assert history.history_user == staff
    assert history.history_type == "+"
    assert "台账.xlsx" in history.history_change_reason
    assert contact.history.get().history_user == staff


def test_a_failure_on_the_third_row_leaves_no_row_behind(staff, unit_a, branch, monkeypatch):
    rows = [person(n, unit_a, 党支部=branch.name, 紧急联系人姓名=f"家属{n}") for n in range(1, 6)]
    job = checked_job(staff, rows)
    before = counts()
    monkeypatch.setattr(services, "WRITE_BATCH", 1)
    real_insert = services._insert
    cadres_written = []

    def insert(model, objs, **kwargs):
        if model is Cadre:
            cadres_written.extend(objs)
            if len(cadres_written) == 3:
                raise RuntimeError("disk full")
        real_insert(model, objs, **kwargs)

    monkeypatch.setattr(services, "_insert", insert)
    job = commit(job)
    assert len(cadres_written) == 3  # two cadres (and their contacts, roles) were written
    assert job.status == ImportJob.Status.FAILED
    # The exception's English text is for the log; the user reads why in Chinese.
    assert "disk full" not in job.failure
    assert job.failure == "导入失败，未写入任何数据：系统出错，已记入日志，请告知管理员。"
    assert job.created_count == 0
    assert counts() == before


def test_a_database_error_rolls_everything_back(staff, unit_a, monkeypatch):
    rows = [person(n, unit_a, 紧急联系人姓名=f"家属{n}") for n in range(1, 4)]
    job = checked_job(staff, rows)
    before = counts()

    def broken_contacts(model, objs, **kwargs):
        if model is FamilyContact:
            objs[0].relation = None  # NOT NULL fails in the database
        real(model, objs, **kwargs)

    real = services._insert
    monkeypatch.setattr(services, "_insert", broken_contacts)
    job = commit(job)
    assert job.status == ImportJob.Status.FAILED
    assert counts() == before


def test_a_cadre_registered_after_the_check_stops_the_import(staff, unit_a):
    rows = [person(n, unit_a) for n in range(1, 4)]
    job = checked_job(staff, rows)
    CadreFactory(
        unit=unit_a,
        id_number=rows[1]["身份证号"],
        birth_date=datetime.date.fromisoformat(rows[1]["出生日期"]),
    )
    before = counts()
    job = commit(job)
    assert job.status == ImportJob.Status.INVALID
    assert [(p["row"], p["code"]) for p in job.errors] == [(3, "duplicate_id_in_registry")]
    assert job.failure
    assert counts() == before


def test_only_a_checked_job_is_imported_and_only_once(staff, unit_a):
    job = checked_job(staff, [person(1, unit_a)])
    job = commit(job)
    assert job.status == ImportJob.Status.DONE
    assert not import_job_mark_importing(job=job)
    assert import_job_commit(job=job).created_count == 1
    assert Cadre.objects.count() == 1
    bad, sheet = import_job_create(
        user=staff, upload=upload_file(xlsx([person(2, unit_a, 性别="?")]))
    )
    bad = import_job_validate(job=bad, sheet=sheet)
    assert bad.status == ImportJob.Status.INVALID
    assert not import_job_mark_importing(job=bad)
    assert import_job_commit(job=bad).status == ImportJob.Status.INVALID


def test_a_user_who_lost_the_right_to_edit_imports_nothing(staff, unit_a):
    job = checked_job(staff, [person(1, unit_a)])
    assert import_job_mark_importing(job=job)
    User.objects.filter(pk=staff.pk).update(role=User.Role.BRANCH_SECRETARY)
    job.user.refresh_from_db()
    job = import_job_commit(job=job)
    assert job.status == ImportJob.Status.FAILED
    assert not Cadre.objects.exists()


def test_a_ledger_exported_with_the_shared_columns_imports_back(staff, unit_a, branch):
    """What reports' export writes (every column, liaison included) is what the import
    reads: cadres removed after the export come back with the same facts."""
    originals = []
    for n in range(3):
        cadre = CadreFactory(unit=unit_a, liaison=staff, hobbies=f"书法{n}", rank="clerk")
        FamilyContactFactory(cadre=cadre, name=f"家属{n}", is_emergency_contact=True)
        BranchRoleFactory(branch=branch, cadre=cadre)
        originals.append(cadre)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in LEDGER_COLUMNS])
    exported = with_ledger_annotations(Cadre.objects.select_related("unit", "liaison"))
    for cadre in exported.order_by("id"):
        sheet.append([column.render(cadre) for column in LEDGER_COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    facts = list(
        Cadre.objects.order_by("id").values_list(
            "name",
            "gender",
            "birth_date",
            "id_number",
            "unit",
            "rank",
            "hobbies",
            "political_status",
            "party_joined_on",
            "retirement_date",
        )
    )
    BranchRole.objects.all().delete()
    FamilyContact.objects.all().delete()
    Cadre.objects.all().delete()

    job, rows = import_job_create(user=staff, upload=upload_file(out.getvalue()))
    job = import_job_validate(job=job, sheet=rows)
    assert job.status == ImportJob.Status.VALID, job.errors
    assert job.ignored_columns == ["一对一联系人"]
    job = commit(job)
    assert job.created_count == 3
    again = Cadre.objects.order_by("id")
    assert [
        tuple(row)
        for row in again.values_list(
            "name",
            "gender",
            "birth_date",
            "id_number",
            "unit",
            "rank",
            "hobbies",
            "political_status",
            "party_joined_on",
            "retirement_date",
        )
    ] == facts
    assert sorted(FamilyContact.objects.values_list("name", flat=True)) == [
        "家属0",
        "家属1",
        "家属2",
    ]
    assert BranchRole.objects.filter(branch=branch).count() == 3
