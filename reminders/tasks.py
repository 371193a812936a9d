"""Celery tasks: take ids, re-read the database, call a service."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Digest
from .services import digest_send, reminders_plan_due_days

logger = logging.getLogger(__name__)


@shared_task(name="reminders.tasks.plan_daily_reminders")
def plan_daily_reminders() -> int:
    """Plan today (and missed days) and queue one send task per digest."""
    digest_ids = reminders_plan_due_days(today=timezone.localdate())
    for digest_id in digest_ids:
        send_digest.delay(digest_id)
    return len(digest_ids)


@shared_task(
    bind=True,
    name="reminders.tasks.send_digest",
    max_retries=None,  # bounded by REMINDER_MAX_ATTEMPTS on the digest row
    acks_late=True,
)
def send_digest(self, digest_id: int) -> bool:
    try:
        return digest_send(digest_id=digest_id)
    except (smtplib.SMTPException, OSError) as error:
        attempts = Digest.objects.filter(pk=digest_id).values_list("attempts", flat=True).first()
        if attempts is None or attempts >= settings.REMINDER_MAX_ATTEMPTS:
            logger.error("Digest %s failed for good: %s", digest_id, error)
            return False
        countdown = settings.REMINDER_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
        logger.warning("Digest %s: %s; retrying in %ss", digest_id, error, countdown)
        raise self.retry(exc=error, countdown=countdown) from error
