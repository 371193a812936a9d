"""What every export's download does: no file without login, the temporary file closed
once streamed, a Chinese filename sent as RFC 5987, and text kept as text."""

import io
import tempfile

import openpyxl
import pytest
from django.urls import reverse

from reports.export_records import Export
from reports.export_views import _download
from reports.export_writer import XLSX_CONTENT_TYPE, write_xlsx
from reports.models import ExportRecord
from tests.factories import CadreFactory
from tests.reports import export_sheets
from tests.reports.export_sheets import ATTENDANCE_URL, CADRES_URL, VISITS_URL

pytestmark = pytest.mark.django_db

# The shared fixtures, found by pytest under these names.
staff = export_sheets.staff


@pytest.mark.parametrize("url", [CADRES_URL, VISITS_URL, ATTENDANCE_URL])
def test_logged_out_goes_to_login_and_gets_no_file(client, url, unit_a):
    CadreFactory(unit=unit_a)
    for response in (client.get(url), client.post(url, {"columns": ["name"]})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert not ExportRecord.objects.exists()


def test_the_temporary_file_is_closed_once_streamed(client, staff, unit_a, monkeypatch):
    created = []
    temporary_file = tempfile.TemporaryFile

    def spy(**kwargs):
        created.append(temporary_file(**kwargs))
        return created[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", spy)
    CadreFactory(unit=unit_a)
    client.force_login(staff)
    response = client.post(CADRES_URL, {"columns": ["name"]})
    [stream] = created
    assert not stream.closed
    b"".join(response.streaming_content)
    response.close()
    assert stream.closed  # and with it gone from the disk: the file has no name
    assert "no-store" in response["Cache-Control"]


def test_a_chinese_filename_is_sent_as_rfc_5987(staff):
    record = ExportRecord(user=staff, kind="cadres")
    export = Export(file=io.BytesIO(b"xlsx"), filename="老干部台账_20260301.xlsx", record=record)
    response = _download(export)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%80%81%E5%B9%B2%E9%83%A8%E5%8F%B0%E8%B4%A6_20260301.xlsx"
    )
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Length"] == "4"


def test_writer_keeps_text_as_text():
    out = io.BytesIO()
    count = write_xlsx(
        out,
        title="表",
        headers=["备注"],
        rows=iter([['=HYPERLINK("http://x")'], ["响铃\x07字符"], [None]]),
    )
    assert count == 3
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "响铃字符"
