"""Ledger import jobs: keep the upload, check every row, then import all rows in one
transaction (or none).

Checking runs the file through :class:`~ledger.resources.CadreLedgerResource` in chunks,
writing the number of rows checked to the job after each chunk, so that the page can
show a progress bar while a background worker checks a large file. Importing checks the
file again inside the transaction (the registry may have changed since) and writes the
cadres, their emergency contacts and branch memberships in batches with their history
rows. Progress made inside that transaction is invisible to other database
connections, so the import reports it through the cache instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.scoping import can_edit_registry, can_see_id_numbers
from branches.models import BranchRole
from cadres.bulk import analyze_tables
from cadres.models import Cadre, FamilyContact
from cadres.validators import mask_resident_id

from .cells import CONTROL_CHARACTERS, cell_text
from .columns import COLUMNS_BY_KEY
from .models import ImportJob
from .resources import CadreLedgerResource, ReadyRow, problem_key_header
from .spreadsheets import ROW_NUMBER, LedgerSheet, read_ledger

logger = logging.getLogger(__name__)

# Rows checked between two progress updates.
CHECK_CHUNK = 250
# Rows written per INSERT (and per history INSERT).
WRITE_BATCH = 500
PREVIEW_ROWS = 10
PROBLEM_VALUE_CHARS = 200
PROGRESS_SECONDS = 60 * 60


@dataclass
class CheckOutcome:
    problems: list[dict] = field(default_factory=list)
    ready: list[ReadyRow] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({problem["row"] for problem in self.problems})


class RegistryChanged(Exception):
    """Rows that passed the check fail it again at import time."""

    def __init__(self, outcome: CheckOutcome):
        super().__init__("rows no longer pass the check")
        self.outcome = outcome


def progress_key(job_id: int) -> str:
    return f"ledger:import:{job_id}:percent"


def _report_checked(*, job_id: int, done: int) -> None:
    """Rows checked so far, written outside any transaction so the page sees it."""
    ImportJob.objects.filter(pk=job_id).update(processed_rows=done)


def _report_importing(*, job_id: int, percent: int) -> None:
    """How far the import has got, through the cache: the job's row is inside the
    import's transaction and other connections would not see it change."""
    cache.set(progress_key(job_id), percent, PROGRESS_SECONDS)


# Upload ----------------------------------------------------------------------------------


def import_job_create(*, user: User, upload: UploadedFile) -> tuple[ImportJob, LedgerSheet]:
    """Keep an uploaded ledger as a job waiting to be checked, and return it with the
    rows read from it. Raises ``ValidationError`` for a file that is not a ledger at
    all (wrong type, unreadable, no header row, required columns missing, no rows)."""
    name = CONTROL_CHARACTERS.sub("", upload.name or "")
    data = upload.read()
    sheet = read_ledger(data, name=name)
    job = ImportJob(
        user=user,
        original_name=name[:255],
        total_rows=len(sheet),
        ignored_columns=sheet.ignored,
        unknown_columns=sheet.unknown,
        skipped_rows=sheet.skipped,
    )
    job.file.save(name or "ledger", ContentFile(data), save=False)
    job.rows_file.save("rows.json", ContentFile(sheet.to_json()), save=False)
    job.full_clean()
    job.save()
    return job, sheet


def import_job_runs_in_background(*, job: ImportJob) -> bool:
    """Large files are checked and imported by a worker (with a progress bar)."""
    return job.total_rows > settings.IMPORT_BACKGROUND_ROWS


# Checking --------------------------------------------------------------------------------


def import_job_validate(*, job: ImportJob, sheet: LedgerSheet | None = None) -> ImportJob:
    """Check every row of the job's file and record each problem (row, column,
    value, message in Chinese), or the preview of the rows ready to import."""
    claimed = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATING]
    ).update(status=ImportJob.Status.VALIDATING, processed_rows=0, updated_at=timezone.now())
    job.refresh_from_db()
    if not claimed:
        return job

    try:
        with translation.override(settings.LANGUAGE_CODE):
            sheet = sheet or _read(job)
            outcome = _check(
                job, sheet, report=lambda done: _report_checked(job_id=job.pk, done=done)
            )
            preview = _preview(outcome.ready, user=job.user)
    except Exception as error:
        logger.exception("Checking ledger import %s failed", job.pk)
        return _fail(job, error)
    job.status = ImportJob.Status.INVALID if outcome.problems else ImportJob.Status.VALID
    job.total_rows = len(sheet)
    job.processed_rows = len(sheet)
    job.errors = outcome.problems
    job.error_count = len(outcome.problems)
    job.bad_rows = outcome.bad_rows
    job.preview = preview
    job.failure = ""
    job.checked_at = timezone.now()
    job.save()
    return job


def _read(job: ImportJob) -> LedgerSheet:
    if job.rows_file:
        with job.rows_file.open("rb") as stored:
            return LedgerSheet.from_json(stored.read())
    with job.file.open("rb") as stored:
        return read_ledger(stored.read(), name=job.original_name)


def _check(job: ImportJob, sheet: LedgerSheet, *, report: Callable[[int], None]) -> CheckOutcome:
    resource = CadreLedgerResource(user=job.user)
    resource.prepare(sheet)
    outcome = CheckOutcome()
    order = {header: index for index, header in enumerate(sheet.headers)}
    for start in range(0, len(sheet), CHECK_CHUNK):
        dataset = sheet.dataset(start, start + CHECK_CHUNK)
        result = resource.import_data(
            dataset, dry_run=True, raise_errors=False, collect_failed_rows=True
        )
        if result.base_errors:
            raise result.base_errors[0].error
        for invalid in result.invalid_rows:
            # ``invalid.number`` counts the chunk's rows from 1.
            values = dict(zip(dataset.headers, dataset[invalid.number - 1], strict=True))
            outcome.problems.extend(_cell_problems(values, invalid.error))
        for _number, errors in result.row_errors():
            for error in errors:
                # The exception's own text (often English, from the database) is for
                # the log, not the user.
                logger.error("Unexpected error in a ledger row", exc_info=error.error)
                outcome.problems.append(
                    _problem(
                        error.row,
                        "",
                        _(
                            "This row could not be checked because of an error in the "
                            "system; it has been logged. Tell the administrator."
                        ),
                        "unexpected",
                    )
                )
        report(min(start + CHECK_CHUNK, len(sheet)))
    outcome.problems.sort(key=lambda p: (p["row"], order.get(p["column"], len(order))))
    outcome.ready = resource.ready
    return outcome


def _cell_problems(values: dict, error) -> list[dict]:
    problems = []
    error_dict = getattr(error, "error_dict", None) or {"__all__": error.error_list}
    for key, errors in error_dict.items():
        header = problem_key_header(key)
        for each in errors:
            for message in each.messages:
                problems.append(_problem(values, header, message, each.code or "invalid"))
    return problems


def _shown_value(value) -> str:
    """The cell's text as a problem shows it: enough to find the cell, and no more, so
    that a file of long bad cells does not make a job of megabytes."""
    text = cell_text(value)
    return text if len(text) <= PROBLEM_VALUE_CHARS else text[:PROBLEM_VALUE_CHARS] + "…"


def _problem(values: dict, header: str, message: str, code: str) -> dict:
    return {
        "row": values[ROW_NUMBER],
        "column": header,
        "value": _shown_value(values.get(header)) if header else "",
        "message": str(message),
        "code": code,
    }


def _preview(ready: list[ReadyRow], *, user: User) -> dict:
    show_id = can_see_id_numbers(user=user)
    columns = {key: COLUMNS_BY_KEY[key] for key in ("gender", "retirement_kind")}
    relation = COLUMNS_BY_KEY["contact_relation"].widget
    rows = []
    for item in ready[:PREVIEW_ROWS]:
        cadre, contact = item.cadre, item.contact
        rows.append(
            {
                "row": item.row,
                "name": cadre.name,
                "gender": columns["gender"].widget.render(cadre.gender),
                "birth_date": cadre.birth_date.isoformat(),
                "id_number": cadre.id_number if show_id else mask_resident_id(cadre.id_number),
                "retirement_kind": columns["retirement_kind"].widget.render(cadre.retirement_kind),
                "unit": cadre.unit.name,
                "branch": item.branch.name if item.branch else "",
                "contact": (
                    f"{contact.name}（{relation.render(contact.relation)}）{contact.phone}"
                    if contact
                    else ""
                ),
            }
        )
    return {
        "rows": rows,
        "cadres": len(ready),
        "contacts": sum(1 for item in ready if item.contact),
        "branch_members": sum(1 for item in ready if item.branch),
    }


# Importing -------------------------------------------------------------------------------


def import_job_mark_importing(*, job: ImportJob, unknown_columns_confirmed: bool = False) -> bool:
    """Claim a checked job for importing; false if it is not (or no longer) ready,
    for example when the button was pressed twice, or if the file has columns whose
    data would be left out (``job.unknown_columns``) and the user has not confirmed
    leaving them out."""
    if job.unknown_columns and not unknown_columns_confirmed:
        return False
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALID).update(
        status=ImportJob.Status.IMPORTING, updated_at=timezone.now()
    )
    job.refresh_from_db()
    return bool(claimed)


def import_job_commit(*, job: ImportJob) -> ImportJob:
    """Import every row of a claimed job in one transaction: all the cadres, their
    emergency contacts and branch memberships, or — if anything fails — none of them,
    with the job marked failed (or, when rows no longer pass the check, invalid with
    the new problems)."""
    job.refresh_from_db()
    if job.status != ImportJob.Status.IMPORTING:
        return job
    _report_importing(job_id=job.pk, percent=0)
    try:
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            if not can_edit_registry(user=job.user):
                raise PermissionError(_("You may not change the registry."))
            sheet = _read(job)
            total = max(len(sheet), 1)

            # Checking again is the first half of the bar, writing the second.
            outcome = _check(
                job,
                sheet,
                report=lambda done: _report_importing(job_id=job.pk, percent=done * 50 // total),
            )
            if outcome.problems:
                raise RegistryChanged(outcome)
            created = _write(
                outcome.ready,
                job=job,
                report=lambda done: _report_importing(
                    job_id=job.pk, percent=50 + done * 50 // total
                ),
            )
            job.status = ImportJob.Status.DONE
            job.created_count = created
            job.processed_rows = len(sheet)
            job.failure = ""
            job.finished_at = timezone.now()
            job.save()
    except RegistryChanged as changed:
        with translation.override(settings.LANGUAGE_CODE):
            job.status = ImportJob.Status.INVALID
            job.errors = changed.outcome.problems
            job.error_count = len(changed.outcome.problems)
            job.bad_rows = changed.outcome.bad_rows
            job.failure = _(
                "The registry has changed since the file was checked; nothing was imported."
            )
            job.save()
    except Exception as error:
        logger.exception("Ledger import %s failed", job.pk)
        _fail(job, error)
    finally:
        cache.delete(progress_key(job.pk))
    if job.status == ImportJob.Status.DONE and job.created_count > settings.IMPORT_BACKGROUND_ROWS:
        # Fresh planner statistics once a large import is committed (see analyze_tables).
        analyze_tables([Cadre, FamilyContact, BranchRole])
    return job


def _write(ready: list[ReadyRow], *, job: ImportJob, report: Callable[[int], None]) -> int:
    today = timezone.localdate()
    reason = _("Ledger import: %(file)s") % {"file": job.original_name}
    for start in range(0, len(ready), WRITE_BATCH):
        batch = ready[start : start + WRITE_BATCH]
        _insert(Cadre, [item.cadre for item in batch], by=job.user, reason=reason)
        contacts = []
        for item in batch:
            if item.contact is not None:
                item.contact.cadre = item.cadre
                contacts.append(item.contact)
        _insert(FamilyContact, contacts, by=job.user, reason=reason)
        roles = [
            BranchRole(
                branch=item.branch,
                cadre=item.cadre,
                role=BranchRole.Role.MEMBER,
                started_on=today,
            )
            for item in batch
            if item.branch is not None
        ]
        _insert(BranchRole, roles, by=job.user, reason=reason)
        report(start + len(batch))
    return len(ready)


def _insert(model: type[models.Model], objs: list, *, by: User, reason: str) -> None:
    if objs:
        bulk_create_with_history(
            objs, model, batch_size=WRITE_BATCH, default_user=by, default_change_reason=reason
        )


def _fail(job: ImportJob, error: BaseException) -> ImportJob:
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(error, ValidationError | PermissionError):
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else error
        else:
            # A database's or library's message is in English and means nothing to the
            # user; it is in the log.
            reason = _("an error in the system, which has been logged; tell the administrator.")
        job.failure = _("The import failed and nothing was written: %(reason)s") % {
            "reason": reason
        }
    job.status = ImportJob.Status.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "failure", "finished_at", "updated_at"])
    return job
