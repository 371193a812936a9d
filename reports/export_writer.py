"""The .xlsx file behind every export: one sheet written with XlsxWriter in constant
memory mode, a value at a time with the call for its type (text stays text, dates are
dates), into an anonymous temporary file that the view streams and that disappears once
closed.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Control characters that XML cannot carry (pasted into notes from other programs).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class _SheetWriter:
    """Writes each value with the call for its type, so that text always stays text
    (an ID number or "=..." is never read as a number or a formula) and dates are dates."""

    def __init__(self, workbook, sheet):
        self.sheet = sheet
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})

    def write_row(self, row_index: int, values: Sequence[Any]) -> None:
        sheet = self.sheet
        for column_index, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                if CONTROL_CHARACTERS.search(value):
                    value = CONTROL_CHARACTERS.sub("", value)
                sheet.write_string(row_index, column_index, value)
            elif isinstance(value, bool):
                sheet.write_boolean(row_index, column_index, value)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(row_index, column_index, value)
            elif isinstance(value, datetime.datetime):
                if timezone.is_aware(value):
                    value = timezone.make_naive(value)
                sheet.write_datetime(row_index, column_index, value, self.datetime)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row_index, column_index, value, self.date)
            else:
                sheet.write_string(row_index, column_index, str(value))


def write_xlsx(
    out: IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
) -> int:
    """Write one sheet (a bold, frozen header row, then ``rows``) as .xlsx into ``out``
    and return the number of rows written. Rows are consumed one at a time and each is
    flushed to disk before the next (XlsxWriter's constant memory mode), so ``rows`` may
    be a generator over any number of records."""
    # The rows go to a temporary file of XlsxWriter's own (removed on close) as they
    # come, and are zipped into ``out`` at the end.
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet(title[:31])
        sheet.freeze_panes(1, 0)
        for index, header in enumerate(headers):
            width = widths[index] if widths else 12
            # A Chinese character takes two of Excel's character widths.
            sheet.set_column(index, index, max(width, 2 * len(str(header)) + 2))
        bold = workbook.add_format({"bold": True})
        for index, header in enumerate(headers):
            sheet.write_string(0, index, str(header), bold)
        writer = _SheetWriter(workbook, sheet)
        count = 0
        for count, row in enumerate(rows, start=1):
            writer.write_row(count, row)
    finally:
        workbook.close()
    return count


def write_to_temporary_file(**kwargs) -> tuple[IO[bytes], int]:
    # An anonymous temporary file: it has no name on disk and disappears when closed
    # (after the response has streamed it), or when the process ends. It outlives this
    # function, so no context manager.
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        count = write_xlsx(out, **kwargs)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out, count
