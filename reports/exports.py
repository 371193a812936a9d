"""Excel exports (.xlsx) of the cadre ledger, visits and activity attendance.

Rows are read in chunks (``.iterator(chunk_size=...)``) and written one by one with
XlsxWriter in constant memory mode into an anonymous temporary file, so memory stays flat
however many rows there are; the view then streams that file. Every export is scoped to
the user by the same selectors as the pages, masks resident ID numbers for those who may
not see them in full, and leaves an :class:`~reports.models.ExportRecord` (who exported
what, when).
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.scoping import can_read_thoughts, can_see_id_numbers, scope_queryset
from activities.models import Activity, Attendance
from cadres.models import Visit
from cadres.selectors import cadre_list, visit_list
from cadres.validators import mask_resident_id
from ledger.columns import (
    DATA_SHEET,
    LEDGER_COLUMNS,
    LedgerColumn,
    with_ledger_annotations,
)

from .models import ExportRecord

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows fetched from the database at a time: large enough to keep the number of round
# trips small, small enough that a chunk of model instances stays a few megabytes.
CHUNK_SIZE = 2000
ID_NUMBER_KEY = "id_number"
# The emergency contact's columns read annotations, added only when one is chosen.
CONTACT_PREFIX = "contact_"


@dataclass(frozen=True)
class Column:
    """One column of a visits or attendance sheet: its header and its width in Excel's
    character units (a Chinese character counts as two)."""

    header: str
    width: int = 12


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


# The writer ------------------------------------------------------------------------------


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


def _write_to_temporary_file(**kwargs) -> tuple[IO[bytes], int]:
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


# The audit record ------------------------------------------------------------------------


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


def _finish(
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
    out, count = _write_to_temporary_file(**sheet)
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


def _filename(kind: ExportRecord.Kind, *days: datetime.date) -> str:
    dates = "-".join(f"{day:%Y%m%d}" for day in days)
    return f"{kind.label}_{dates}.xlsx"


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _id_number_renderer(user: User) -> tuple[Callable[[str], str], bool]:
    """How ID numbers go into a file for this user, and whether they are masked."""
    if can_see_id_numbers(user=user):
        return (lambda value: value), False
    return mask_resident_id, True


# The cadre ledger ------------------------------------------------------------------------


def ledger_columns(keys: Iterable[str] | None = None) -> list[LedgerColumn]:
    """The ledger's columns in the ledger's own order; only those in ``keys`` if given."""
    if keys is None:
        return list(LEDGER_COLUMNS)
    chosen = set(keys)
    return [column for column in LEDGER_COLUMNS if column.key in chosen]


def ledger_export(
    *, user: User, filters: dict, columns: Sequence[str], today: datetime.date
) -> Export:
    """The cadre ledger (台账) as .xlsx: the same cadres as the registry list shows for
    ``filters`` (the user's own), with the chosen columns under the same headers as the
    ledger import template, so the file can be imported elsewhere."""
    chosen = ledger_columns(columns)
    show_id, masked = _id_number_renderer(user)
    renderers = [
        (lambda cadre, render=column.render: show_id(render(cadre)))
        if column.key == ID_NUMBER_KEY
        else column.render
        for column in chosen
    ]
    cadres = cadre_list(user=user, filters=filters, today=today)
    if any(column.key.startswith(CONTACT_PREFIX) for column in chosen):
        cadres = with_ledger_annotations(cadres)
    rows = (
        [render(cadre) for render in renderers] for cadre in cadres.iterator(chunk_size=CHUNK_SIZE)
    )
    exports_id_numbers = any(column.key == ID_NUMBER_KEY for column in chosen)
    return _finish(
        user=user,
        kind=ExportRecord.Kind.CADRES,
        parameters=export_parameters(
            filters={key: value for key, value in filters.items() if value not in (None, "")},
            columns=[column.key for column in chosen],
        ),
        id_numbers_masked=masked or not exports_id_numbers,
        filename=_filename(ExportRecord.Kind.CADRES, today),
        title=DATA_SHEET,  # the sheet the ledger import reads
        headers=[column.header for column in chosen],
        widths=[column.width for column in chosen],
        rows=rows,
    )


# Visits ----------------------------------------------------------------------------------


VISIT_COLUMNS = [
    Column(gettext_lazy("date visited"), 12),
    Column(gettext_lazy("due date"), 12),
    Column(gettext_lazy("cadre"), 10),
    Column(gettext_lazy("resident ID number"), 21),
    Column(gettext_lazy("unit"), 20),
    Column(gettext_lazy("occasion"), 12),
    Column(gettext_lazy("mode"), 10),
    Column(gettext_lazy("status"), 8),
    Column(gettext_lazy("visiting staff"), 20),
    Column(gettext_lazy("leaders taking part"), 20),
    Column(gettext_lazy("condolence money (yuan)"), 12),
    Column(gettext_lazy("gifts"), 16),
    Column(gettext_lazy("follow-up needed"), 10),
    Column(gettext_lazy("follow up by"), 12),
    Column(gettext_lazy("notes"), 30),
    Column(gettext_lazy("heart-to-heart talk"), 10),
    # 思想动态: filled only where the user may read it (bureau staff, the liaison).
    Column(gettext_lazy("thoughts and concerns"), 30),
]


def visits_export(*, user: User, filters: dict) -> Export:
    """Visits of the user's cadres between ``filters["date_from"]`` and
    ``filters["date_to"]`` (done visits by the date visited, planned ones by the due
    date), with the other filters of the visits list, in date order."""
    show_id, masked = _id_number_renderer(user)
    modes = dict(Visit.Mode.choices)
    statuses = dict(Visit.Status.choices)
    visits = visit_list(user=user, filters=filters).order_by(
        Coalesce("visited_on", "due_on"), "cadre__name_pinyin", "id"
    )

    def rows():
        for visit in visits.iterator(chunk_size=CHUNK_SIZE):
            cadre = visit.cadre
            yield [
                visit.visited_on,
                visit.due_on,
                cadre.name,
                show_id(cadre.id_number),
                cadre.unit.name,
                visit.occasion.name,
                str(modes.get(visit.mode, "")),
                str(statuses.get(visit.status, visit.status)),
                "、".join(person.display_name for person in visit.visitors.all()),
                visit.leaders,
                visit.condolence_money,
                visit.gifts,
                _yes_no(visit.follow_up_needed),
                visit.follow_up_by,
                visit.notes,
                _yes_no(visit.heart_to_heart),
                visit.thoughts if can_read_thoughts(user=user, cadre=cadre) else "",
            ]

    return _finish(
        user=user,
        kind=ExportRecord.Kind.VISITS,
        parameters=export_parameters(**filters),
        id_numbers_masked=masked,
        filename=_filename(ExportRecord.Kind.VISITS, filters["date_from"], filters["date_to"]),
        title=str(ExportRecord.Kind.VISITS.label),
        headers=[str(column.header) for column in VISIT_COLUMNS],
        widths=[column.width for column in VISIT_COLUMNS],
        rows=rows(),
    )


# Activity attendance ---------------------------------------------------------------------


def attendances_of_cadres_visible_to(*, user: User) -> QuerySet[Attendance]:
    """Attendance rows of the user's own cadres, at whatever activity: an export of
    attendance is a list of people, so it follows the cadre's scope (unit staff never
    get another unit's retirees, a branch secretary gets their members)."""
    return scope_queryset(
        Attendance.objects.all(), user=user, unit_path="cadre__unit", cadre_path="cadre"
    )


def attendance_activities(*, user: User) -> QuerySet[Activity]:
    """The activities at which any of the user's cadres is on the list, newest first."""
    listed = attendances_of_cadres_visible_to(user=user).filter(activity=OuterRef("pk"))
    return Activity.objects.filter(Exists(listed)).order_by("-starts_at", "-id")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


ATTENDANCE_COLUMNS = [
    Column(gettext_lazy("date"), 12),
    Column(gettext_lazy("activity"), 30),
    Column(gettext_lazy("kind"), 14),
    Column(gettext_lazy("place"), 20),
    Column(gettext_lazy("organising unit"), 20),
    Column(gettext_lazy("cadre"), 10),
    Column(gettext_lazy("resident ID number"), 21),
    Column(gettext_lazy("unit"), 20),
    Column(gettext_lazy("status"), 8),
    Column(gettext_lazy("volunteer hours"), 12),
]


def attendance_export(
    *,
    user: User,
    date_from: datetime.date,
    date_to: datetime.date,
    activity: Activity | None = None,
) -> Export:
    """Attendance of the user's cadres at activities starting between ``date_from`` and
    ``date_to`` (local dates, both included), optionally at one activity: one row per
    cadre on an activity's list, with whether they came and their volunteer hours."""
    show_id, masked = _id_number_renderer(user)
    kinds = dict(Activity.Kind.choices)
    statuses = dict(Attendance.Status.choices)
    attendances = attendances_of_cadres_visible_to(user=user).filter(
        activity__starts_at__gte=_local_midnight(date_from),
        activity__starts_at__lt=_local_midnight(date_to + datetime.timedelta(days=1)),
    )
    if activity is not None:
        attendances = attendances.filter(activity=activity)
    values = attendances.order_by(
        "activity__starts_at", "activity_id", "cadre__name_pinyin", "id"
    ).values_list(
        "activity__starts_at",
        "activity__title",
        "activity__kind",
        "activity__place",
        "activity__unit__name",
        "cadre__name",
        "cadre__id_number",
        "cadre__unit__name",
        "status",
        "volunteer_hours",
    )

    def rows():
        for (
            starts_at,
            title,
            kind,
            place,
            organiser,
            name,
            id_number,
            unit,
            status,
            hours,
        ) in values.iterator(chunk_size=CHUNK_SIZE):
            yield [
                timezone.localtime(starts_at).date(),
                title,
                str(kinds.get(kind, kind)),
                place,
                organiser,
                name,
                show_id(id_number),
                unit,
                str(statuses.get(status, status)),
                hours,
            ]

    return _finish(
        user=user,
        kind=ExportRecord.Kind.ATTENDANCE,
        parameters=export_parameters(date_from=date_from, date_to=date_to, activity=activity),
        id_numbers_masked=masked,
        filename=_filename(ExportRecord.Kind.ATTENDANCE, date_from, date_to),
        title=str(ExportRecord.Kind.ATTENDANCE.label),
        headers=[str(column.header) for column in ATTENDANCE_COLUMNS],
        widths=[column.width for column in ATTENDANCE_COLUMNS],
        rows=rows(),
    )
