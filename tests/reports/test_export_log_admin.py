"""The export log in the admin: every kind of download is listed under its name and can
be filtered by it, the downloads of the funds, assistance, checkups and distributions
pages as well as the registry's own exports."""

import pytest
from django.urls import reverse

from reports.models import ExportRecord

pytestmark = pytest.mark.django_db

NAMES = {
    ExportRecord.Kind.FUNDS_REPORT: "慰问经费报表",
    ExportRecord.Kind.FUNDS_REACH: "人均到位情况",
    ExportRecord.Kind.ASSISTANCE_REPORT: "帮扶报表",
    ExportRecord.Kind.CHECKUP_LIST: "体检名单",
    ExportRecord.Kind.COVERAGE: "发放覆盖情况",
    ExportRecord.Kind.DOCUMENT: "文件或扫描件",
}


def test_the_export_log_lists_and_filters_the_downloads_of_every_app(client, superuser):
    for kind in NAMES:
        ExportRecord.objects.create(user=superuser, kind=kind, row_count=3)
    client.force_login(superuser)
    url = reverse("admin:reports_exportrecord_changelist")
    page = client.get(url).content.decode()
    for kind, name in NAMES.items():
        assert page.count(name) >= 2, kind  # a row, and a choice of the kind filter
        rows = client.get(url, {"kind__exact": kind}).context["cl"].result_list
        assert [record.kind for record in rows] == [kind]
