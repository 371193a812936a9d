"""The cadre ledger export (老干部台账): the import template's headers, the registry's
filters, sort and chosen columns, ID numbers masked by role, the record of the export,
query counts, and a ledger that reads back as the same cadres."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from branches.models import BranchRole
from cadres.models import CadreStatus, Health
from cadres.validators import mask_resident_id
from reports.exports import ledger_columns
from reports.models import ExportRecord
from tests.factories import (
    BranchRoleFactory,
    CadreFactory,
    FamilyContactFactory,
    PartyBranchFactory,
    UserFactory,
)
from tests.reports import export_sheets
from tests.reports.export_sheets import CADRES_URL, default_columns, header_of, sheet_rows

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
staff = export_sheets.staff
bureau_staff = export_sheets.bureau_staff

# A sheet's column under a header: bound here, since a test's loop variable shadows the name.
column = export_sheets.column


def test_ledger_has_the_import_templates_headers_and_the_users_cadres(
    client, staff, unit_a, unit_a_child, unit_b
):
    CadreFactory(name="张三", unit=unit_a)
    CadreFactory(name="李四", unit=unit_a_child)
    CadreFactory(name="王五", unit=unit_b)
    client.force_login(staff)
    page = client.get(CADRES_URL)
    assert page.status_code == 200 and page.context["count"] == 2
    rows = sheet_rows(client.post(CADRES_URL, {"columns": default_columns()}))
    assert rows[0] == [c.header for c in ledger_columns() if c.default]
    assert set(column(rows, header_of("name"))) == {"张三", "李四"}
    assert unit_b.name not in str(rows)  # another unit's cadres are never in the file


def test_ledger_carries_the_registry_filters_and_sort(client, staff, unit_a):
    CadreFactory(name="安康", unit=unit_a, health=Health.IN_HOSPITAL)
    CadreFactory(name="白云", unit=unit_a, health=Health.IN_HOSPITAL)
    CadreFactory(name="陈明", unit=unit_a, health=Health.GOOD)
    CadreFactory(
        name="丁亮", unit=unit_a, status=CadreStatus.DECEASED, died_on=datetime.date(2026, 1, 1)
    )
    client.force_login(staff)
    registry = client.get(reverse("cadres:registry"), {"health": "hospital", "sort": "-name"})
    link = f"{CADRES_URL}?health=hospital&amp;sort=-name"
    assert link in registry.content.decode()
    url = f"{CADRES_URL}?health=hospital&sort=-name"
    page = client.get(url)
    assert page.context["count"] == 2
    assert ("身体状况", "住院") in page.context["summary"]
    rows = sheet_rows(client.post(url, {"columns": ["name"]}))
    assert rows == [[header_of("name")], ["白云"], ["安康"]]
    # The default status filter of the registry applies too: the deceased is left out.
    everyone = sheet_rows(client.post(CADRES_URL, {"columns": ["name"]}))
    assert "丁亮" not in column(everyone, header_of("name"))


def test_ledger_has_only_the_chosen_columns_in_the_ledgers_order(client, staff, unit_a):
    CadreFactory(unit=unit_a)
    client.force_login(staff)
    keys = [column.key for column in ledger_columns()]
    chosen = [keys[3], keys[0]]
    rows = sheet_rows(client.post(CADRES_URL, {"columns": chosen}))
    assert rows[0] == [header_of(keys[0]), header_of(keys[3])]


def test_ledger_needs_a_column(client, staff, unit_a):
    CadreFactory(unit=unit_a)
    client.force_login(staff)
    response = client.post(CADRES_URL, {})
    assert response.status_code == 200 and "columns" in response.context["form"].errors
    assert not ExportRecord.objects.exists()


def test_ledger_masks_id_numbers_for_unit_staff_and_shows_them_to_the_bureau(
    client, staff, bureau_staff, unit_a
):
    cadre = CadreFactory(unit=unit_a)
    client.force_login(staff)
    masked = sheet_rows(client.post(CADRES_URL, {"columns": ["name", "id_number"]}))
    assert masked[1] == [cadre.name, mask_resident_id(cadre.id_number)]
    assert cadre.id_number not in str(masked)
    client.force_login(bureau_staff)
    full = sheet_rows(client.post(CADRES_URL, {"columns": ["name", "id_number"]}))
    assert full[1] == [cadre.name, cadre.id_number]
    records = list(ExportRecord.objects.order_by("id"))
    assert [(r.user, r.id_numbers_masked) for r in records] == [
        (staff, True),
        (bureau_staff, False),
    ]


def test_ledger_export_is_recorded(client, staff, unit_a):
    for _ in range(3):
        CadreFactory(unit=unit_a, health=Health.POOR)
    CadreFactory(unit=unit_a)
    client.force_login(staff)
    sheet_rows(client.post(f"{CADRES_URL}?health=poor", {"columns": ["name", "gender"]}))
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count) == (staff, "cadres", 3)
    assert record.parameters["columns"] == ["name", "gender"]
    assert record.parameters["filters"] == {"health": "poor"}
    # A file without ID numbers gives none away, whoever downloads it.
    assert record.id_numbers_masked


def test_branch_secretary_exports_their_members_only(client, unit_a):
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    branch = PartyBranchFactory(unit=unit_a)
    leader = CadreFactory(name="书记", unit=unit_a, account=secretary)
    BranchRoleFactory(branch=branch, cadre=leader, role=BranchRole.Role.SECRETARY)
    BranchRoleFactory(branch=branch, cadre=CadreFactory(name="党员", unit=unit_a))
    CadreFactory(name="同单位", unit=unit_a)  # same unit, not in the branch
    client.force_login(secretary)
    rows = sheet_rows(client.post(CADRES_URL, {"columns": ["name", "id_number"]}))
    assert set(column(rows, header_of("name"))) == {"党员", "书记"}
    assert ExportRecord.objects.get().id_numbers_masked


def test_ledger_export_query_count_does_not_grow_with_rows(client, staff, unit_a):
    client.force_login(staff)
    every_column = [column.key for column in ledger_columns()]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            sheet_rows(client.post(CADRES_URL, {"columns": every_column}))
        return len(captured)

    CadreFactory(unit=unit_a, liaison=staff)
    few = queries()
    branch = PartyBranchFactory(unit=unit_a)
    for _ in range(15):
        cadre = CadreFactory(unit=unit_a, liaison=staff)
        BranchRoleFactory(branch=branch, cadre=cadre)
        FamilyContactFactory(cadre=cadre, is_emergency_contact=True)
    assert queries() == few


def test_an_exported_ledger_reads_back_as_the_same_cadres(client, bureau_staff, unit_a):
    """What the export writes, the import's own parsers read back to the same values."""
    cadre = CadreFactory(
        unit=unit_a,
        health=Health.IN_HOSPITAL,
        hobbies="书法",
        celebrates_lunar_birthday=True,
        phone="13800000000",
    )
    contact = FamilyContactFactory(cadre=cadre, is_emergency_contact=True, phone="13900000000")
    client.force_login(bureau_staff)
    columns = ledger_columns()
    rows = sheet_rows(client.post(CADRES_URL, {"columns": [c.key for c in columns]}))
    assert rows[0] == [c.header for c in columns]
    cells = dict(zip((c.key for c in columns), rows[1], strict=True))
    for column in columns:
        if column.attribute:
            parsed, stored = column.parse(cells[column.key]), getattr(cadre, column.attribute)
            assert parsed == stored or (parsed in (None, "") and stored in (None, "")), column.key
    assert cells["contact_name"] == contact.name
    assert cells["contact_phone"] == "13900000000"
