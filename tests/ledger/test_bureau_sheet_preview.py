"""The preview page of a bureau's ledger: unknown columns named, and the tick that imports
them only when there are some."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cadres.models import Cadre
from ledger.models import ImportJob

from .bureau_sheets import BASIC, basic, workbook_bytes
from .conftest import upload_file

pytestmark = pytest.mark.django_db


def test_the_preview_names_unknown_columns_and_import_needs_the_tick(client, staff, unit_a):
    header = ["序号", *BASIC, "备注2"]
    rows = [[n, *basic(n, unit_a), f"说明{n}"] for n in range(1, 4)]
    content = workbook_bytes(header, *rows, [4], ["填表人：张三"])
    client.force_login(staff)
    response = client.post(reverse("ledger:upload"), {"file": upload_file(content)})
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    body = client.get(response.url).content.decode()
    assert "未识别的列：" in body
    assert "“备注2”（H 列，3 个非空单元格）" in body
    assert "跳过 2 行（只有序号或表尾）。" in body
    assert 'name="ignore_unknown_columns"' in body and "忽略这些列并继续" in body

    commit_url = reverse("ledger:commit", args=[job.pk])
    assert "忽略这些列并继续" in client.get(commit_url).content.decode()
    response = client.post(commit_url)
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == [
        "未导入任何数据：有些列的数据不会导入。请勾选“忽略这些列并继续”，或改正列名后重新上传。"
    ]
    job.refresh_from_db()
    assert (job.status, Cadre.objects.count()) == (ImportJob.Status.VALID, 0)

    response = client.post(commit_url, {"ignore_unknown_columns": "on"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Cadre.objects.count() == 3


def test_a_file_without_unknown_columns_needs_no_tick(client, staff, unit_a):
    client.force_login(staff)
    content = workbook_bytes(BASIC, basic(1, unit_a))
    client.post(reverse("ledger:upload"), {"file": upload_file(content)})
    job = ImportJob.objects.get()
    body = client.get(job.get_absolute_url()).content.decode()
    assert "ignore_unknown_columns" not in body and "未识别的列" not in body
    client.post(reverse("ledger:commit", args=[job.pk]))
    assert Cadre.objects.count() == 1
