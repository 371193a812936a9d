"""The reader of a bureau's ledger: merged cells written after the rows with a namespace
prefix, and more merged cells than a ledger needs refused."""

import pytest
from django.core.exceptions import ValidationError

from ledger.models import ImportJob
from ledger.services import import_job_create

from .bureau_sheets import BASIC, basic, check, workbook_bytes
from .conftest import upload_file
from .test_upload_limits import MAIN, workbook

pytestmark = pytest.mark.django_db


def test_merged_cells_are_found_after_the_rows_with_a_namespace_prefix(staff, unit_a):
    """mergeCells come after sheetData; some writers prefix the spreadsheet namespace."""
    rows = [BASIC, basic(1, unit_a), basic(2, unit_a, 所在单位=None)]

    def cell(value):
        return f'<x:c t="inlineStr"><x:is><x:t>{value}</x:t></x:is></x:c>' if value else "<x:c/>"

    sheet_data = "".join(
        f'<x:row r="{number}">{"".join(cell(value) for value in row)}</x:row>'
        for number, row in enumerate(rows, start=1)
    )
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{sheet_data}</x:sheetData>'
        '<x:mergeCells count="1"><x:mergeCell ref="F2:F3"/></x:mergeCells></x:worksheet>'
    )
    content = workbook(b"", extra={"xl/worksheets/sheet1.xml": sheet.encode()})
    job = check(staff, content)
    assert job.status == ImportJob.Status.VALID, job.errors
    assert job.total_rows == 2


def test_more_merged_cells_than_a_ledger_needs_are_refused(staff, unit_a, settings):
    settings.IMPORT_MAX_ROWS = 10
    rows = [BASIC, *(basic(n, unit_a) for n in range(1, 4))]
    merges = [f"H{n}:I{n}" for n in range(1, 22)]
    with pytest.raises(ValidationError) as refused:
        import_job_create(user=staff, upload=upload_file(workbook_bytes(*rows, merges=merges)))
    assert refused.value.code == "too_many_merged_ranges"
    assert ImportJob.objects.count() == 0
