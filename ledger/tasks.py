"""Celery tasks for large ledger files: take the job's id, re-read it, call a service."""

from celery import shared_task

from .models import ImportJob
from .services import import_job_commit, import_job_validate


@shared_task(name="ledger.tasks.import_validate")
def import_validate(job_id: int) -> str | None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return None
    return import_job_validate(job=job).status


@shared_task(name="ledger.tasks.import_commit")
def import_commit(job_id: int) -> str | None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return None
    return import_job_commit(job=job).status
