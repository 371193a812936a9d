import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tests.factories import PartyBranchFactory, UserFactory, make_id_number

HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "离退休类别",
    "所在单位",
    "政治面貌",
    "入党时间",
    "党支部",
    "紧急联系人姓名",
    "紧急联系人关系",
    "紧急联系人电话",
]
# Away from the factories' 1950-03-15, so that no ID number repeats one of theirs.
FIRST_BIRTH = datetime.date(1940, 1, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(unit_a):
    return UserFactory(unit=unit_a, role=User.Role.UNIT_STAFF, username="staff-a")


@pytest.fixture
def branch(unit_a):
    return PartyBranchFactory(unit=unit_a, name="县教育局离退休干部党支部")


def person(n: int, unit, **changes) -> dict:
    """A correct ledger row for the n-th made-up cadre."""
    birth = FIRST_BIRTH + datetime.timedelta(days=n)
    row = {
        "姓名": f"测试{chr(0x4E00 + n % 20000)}{n}",
        "性别": "男",
        "出生日期": birth.isoformat(),
        "身份证号": make_id_number(birth, True, serial=n),
        "离退休类别": "退休",
        "所在单位": unit.name,
        "政治面貌": "中共党员",
        "入党时间": "1975-07-01",
        "党支部": "",
        "紧急联系人姓名": "",
        "紧急联系人关系": "",
        "紧急联系人电话": "",
    }
    row.update(changes)
    return row


def xlsx(rows: list[dict], headers=None, sheet="干部台账") -> bytes:
    headers = headers or list(rows[0])
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = sheet
    data.append(headers)
    for row in rows:
        data.append([row.get(header) for header in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    headers = list(rows[0])
    lines = [",".join(headers)] + [",".join(str(row[h]) for h in headers) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload_file(content: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
