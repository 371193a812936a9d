"""Excel exports (.xlsx) of the cadre ledger, visits and activity attendance.

Rows are read in chunks (``.iterator(chunk_size=...)``) and written one by one with
XlsxWriter in constant memory mode into an anonymous temporary file, so memory stays flat
however many rows there are; the view then streams that file. Every export is scoped to
the user by the same selectors as the pages, masks resident ID numbers for those who may
not see them in full, and leaves an :class:`~reports.models.ExportRecord` (who exported
what, when). The sheet is written by :mod:`reports.export_writer`; the record is made by
:mod:`reports.export_records`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.scoping import can_read_thoughts, can_see_id_numbers, scope_queryset
from activities.models import Activity, Attendance
from cadres.models import Visit
from cadres.registry_list import cadre_list
from cadres.validators import mask_resident_id
from cadres.visit_selectors import visit_list
from ledger.columns import DATA_SHEET, LEDGER_COLUMNS, LedgerColumn, with_ledger_annotations

from .export_records import Export, export_parameters, finish_export
from .models import ExportRecord

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
    return finish_export(
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

    return finish_export(
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

    return finish_export(
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
