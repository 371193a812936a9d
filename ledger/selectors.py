"""Reads for the ledger import pages."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import ImportJob
from .services import progress_key


def import_jobs_visible_to(*, user: User) -> QuerySet[ImportJob]:
    """A job is seen by the user who uploaded it, and by administrators."""
    jobs = ImportJob.objects.select_related("user")
    if user.is_superuser or user.role == User.Role.ADMINISTRATOR:
        return jobs
    return jobs.filter(user=user)


def import_job_for(*, user: User, pk: int) -> ImportJob:
    return get_object_or_404(import_jobs_visible_to(user=user), pk=pk)


def recent_import_jobs(*, user: User) -> QuerySet[ImportJob]:
    """The user's own uploads, newest first, without the (possibly large) error lists."""
    return (
        ImportJob.objects.filter(user=user)
        .defer("errors", "preview")
        .order_by("-created_at", "-id")
    )


def import_job_percent(*, job: ImportJob) -> int | None:
    """How far a job has got, in percent; ``None`` while that is not known. An import
    reports through the cache, which the worker shares with the web server (Redis, or
    the files under var/cache of the embedded default)."""
    if job.status == ImportJob.Status.UPLOADED:
        return 0
    if job.status == ImportJob.Status.VALIDATING:
        return job.processed_rows * 100 // max(job.total_rows, 1)
    if job.status == ImportJob.Status.IMPORTING:
        return cache.get(progress_key(job.pk))
    return 100
