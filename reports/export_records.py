"""The audit trail of downloads (导出记录): the record each export leaves (who exported
what, when, with which filters and columns, and whether ID numbers were masked), and a
finished export, its temporary file with that record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, Any

from django.db import models, transaction

from accounts.models import User

from .export_writer import write_to_temporary_file
from .models import ExportRecord


@dataclass
class Export:
    """A finished export: the .xlsx in a temporary file (at its start, removed from disk
    when closed), the name to download it under, and the record of it."""

    file: IO[bytes]
    filename: str
    record: ExportRecord

    @property
    def row_count(self) -> int:
        return self.record.row_count


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


def export_parameters(**values: Any) -> dict:
    """The filters, columns and dates of an export as JSON for its record; empty values
    are left out, related records keep their id and name."""
    return {
        key: _jsonable(value) for key, value in values.items() if value not in (None, "", [], {})
    }


def export_record(
    *,
    user: User,
    kind: str,
    parameters: dict,
    row_count: int,
    id_numbers_masked: bool,
) -> ExportRecord:
    """Record that ``user`` exported ``row_count`` rows of ``kind`` with ``parameters``
    (filters, columns, dates) — the audit trail of every download."""
    record = ExportRecord(
        user=user,
        kind=kind,
        parameters=parameters,
        row_count=row_count,
        id_numbers_masked=id_numbers_masked,
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
    return record


def finish_export(
    *,
    user: User,
    kind: str,
    parameters: dict,
    id_numbers_masked: bool,
    filename: str,
    **sheet,
) -> Export:
    # The rows are read outside any transaction: a long export must not hold the
    # database's write lock (SQLite takes it when a transaction begins).
    out, count = write_to_temporary_file(**sheet)
    try:
        record = export_record(
            user=user,
            kind=kind,
            parameters=parameters,
            row_count=count,
            id_numbers_masked=id_numbers_masked,
        )
    except BaseException:
        out.close()
        raise
    return Export(file=out, filename=filename, record=record)
