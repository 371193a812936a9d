"""What the export tests share: the export pages, staff of unit A and of the bureau, and
the rows and columns of a downloaded .xlsx."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.http import content_disposition_header

from accounts.models import User
from reports.export_writer import XLSX_CONTENT_TYPE
from reports.exports import ledger_columns
from reports.models import ExportRecord
from tests.factories import UserFactory

CADRES_URL = reverse("reports:export_cadres")
VISITS_URL = reverse("reports:export_visits")
ATTENDANCE_URL = reverse("reports:export_attendance")


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF)


@pytest.fixture
def bureau_staff(bureau):
    return UserFactory(unit=bureau, role=User.Role.BUREAU_STAFF)


def default_columns():
    return [column.key for column in ledger_columns() if column.default]


def sheet_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    kind = ExportRecord.objects.latest("id").get_kind_display()
    assert response["Content-Disposition"].startswith(
        content_disposition_header(True, f"{kind}_")[:-1]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def header_of(key: str) -> str:
    return next(column.header for column in ledger_columns() if column.key == key)
