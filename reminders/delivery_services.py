"""Writes of the outbox's delivery: sending each digest exactly once — claimed with one
conditional update, tried again with capped backoff until its deadline, failed for good
after it — putting failed digests back in the queue, and telling the administrators
(once a day, by an alert that is itself an outbox row) of digests that failed for good.
The daily plan that fills the outbox is in ``services``.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .delivery_selectors import alert_recipients, due_filter, failed_digests_of
from .models import DeliveryAlert, Digest
from .selectors import digest_sections

logger = logging.getLogger(__name__)


# A digest queued late in its day (a plan that ran late, a digest sent again by hand)
# still has this long to go out before a failure is final.
LATE_DIGEST_WINDOW = datetime.timedelta(hours=2)


def digest_deadline(*, send_on: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """When a digest's failures become final: REMINDER_DEADLINE_HOURS after the start of
    its day (the end of the day by default), and never less than LATE_DIGEST_WINDOW
    from now."""
    start = timezone.make_aware(datetime.datetime.combine(send_on, datetime.time()))
    end = start + datetime.timedelta(hours=settings.REMINDER_DEADLINE_HOURS)
    return max(end, now + LATE_DIGEST_WINDOW)


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed try: REMINDER_RETRY_BASE_SECONDS,
    doubling, capped at REMINDER_RETRY_MAX_SECONDS."""
    base = settings.REMINDER_RETRY_BASE_SECONDS
    cap = settings.REMINDER_RETRY_MAX_SECONDS
    doublings = min(max(attempts - 1, 0), 30)
    return datetime.timedelta(seconds=min(base * 2**doublings, cap))


def _claim(model: type[Digest] | type[DeliveryAlert], pk: int, now: datetime.datetime) -> bool:
    """Take an outbox row for sending with one conditional UPDATE: exactly one worker
    wins, on PostgreSQL and on SQLite alike, and only once its next attempt has come. A
    row left 'sending' by a worker that died is taken again after
    REMINDER_STALE_SENDING_MINUTES."""
    claimed = model.objects.filter(due_filter(now=now), pk=pk).update(
        status=Digest.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def digest_message(*, digest: Digest) -> EmailMultiAlternatives:
    recipient = digest.recipient
    sections = digest_sections(digest=digest)
    context = {
        "digest": digest,
        "recipient": recipient,
        "sections": sections,
        "count": sum(len(section["items"]) for section in sections),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("reminders/email/digest_subject.txt", context).strip()
        text = render_to_string("reminders/email/digest.txt", context)
        html = render_to_string("reminders/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[recipient.email],
        headers={"Message-ID": digest.message_id},
    )
    message.attach_alternative(html, "text/html")
    return message


def _digest_failed(digest: Digest, *, claimed_at: datetime.datetime, error: str) -> None:
    """Fail the digest for good (if this worker still holds it) and open the day's alert
    to the administrators: one per day, however many digests fail."""
    failed = Digest.objects.filter(
        pk=digest.pk, status=Digest.Status.SENDING, claimed_at=claimed_at
    ).update(status=Digest.Status.FAILED, last_error=error)
    if failed:
        logger.error("Digest %s failed for good: %s", digest.pk, error)
        DeliveryAlert.objects.bulk_create(
            [DeliveryAlert(key=f"digests-failed:{digest.send_on}", day=digest.send_on)],
            ignore_conflicts=True,
        )


def digest_send(*, digest_id: int) -> bool:
    """Send one digest, exactly once. Returns True when this call sent it, False when
    there was nothing to do (already sent, not due yet, or another worker has it) or
    the mail server refused it. A refusal puts the digest off with capped backoff
    (never past its deadline, when the last attempt is made); the first refusal after
    the deadline fails it for good and opens the administrators' alert. Never raises
    for a refusal: the periodic sweep, not the task, tries again."""
    now = timezone.now()
    if not _claim(Digest, digest_id, now):
        return False
    digest = Digest.objects.select_related("recipient").get(pk=digest_id)
    if not digest.recipient.email or not digest.recipient.is_active:
        _digest_failed(digest, claimed_at=now, error="收件人没有可用的邮箱地址或账号已停用。")
        return False
    try:
        digest_message(digest=digest).send(fail_silently=False)
    except Exception as error:
        failed_at = timezone.now()
        if failed_at >= digest.deadline:
            _digest_failed(digest, claimed_at=now, error=_error_text(error))
            return False
        retry_at = min(failed_at + retry_delay(digest.attempts), digest.deadline)
        Digest.objects.filter(pk=digest_id, status=Digest.Status.SENDING, claimed_at=now).update(
            status=Digest.Status.QUEUED, next_attempt_at=retry_at, last_error=_error_text(error)
        )
        logger.warning(
            "Digest %s, attempt %s: %s; next attempt at %s",
            digest_id,
            digest.attempts,
            error,
            timezone.localtime(retry_at).isoformat(timespec="seconds"),
        )
        return False
    Digest.objects.filter(pk=digest_id).update(
        status=Digest.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def digest_requeue(*, digest: Digest) -> Digest:
    """Put a failed digest back in the queue (from admin, the staff site or
    ``send_reminders --retry-failed``), due now, with a fresh deadline."""
    now = timezone.now()
    updated = Digest.objects.filter(pk=digest.pk, status=Digest.Status.FAILED).update(
        status=Digest.Status.QUEUED,
        attempts=0,
        last_error="",
        claimed_at=None,
        next_attempt_at=now,
        deadline=digest_deadline(send_on=digest.send_on, now=now),
    )
    if not updated:
        raise ValueError("only a failed digest can be sent again")
    digest.refresh_from_db()
    return digest


def digests_requeue_failed(*, since: datetime.date, until: datetime.date) -> list[int]:
    """Put every digest of those days that failed for good back in the queue. Returns
    their ids."""
    failed = Digest.objects.filter(
        status=Digest.Status.FAILED, send_on__gte=since, send_on__lte=until
    ).order_by("pk")
    return [digest_requeue(digest=digest).pk for digest in failed]


def delivery_alert_message(*, alert: DeliveryAlert, to: list[str]) -> EmailMultiAlternatives | None:
    """The administrators' alert of the day's failed digests, or None when none of them
    is failed any more (sent again since)."""
    digests = failed_digests_of(day=alert.day)
    if not digests:
        return None
    context = {
        "alert": alert,
        "day": alert.day,
        "digests": digests,
        "count": len(digests),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("reminders/email/delivery_alert_subject.txt", context).strip()
        text = render_to_string("reminders/email/delivery_alert.txt", context)
        html = render_to_string("reminders/email/delivery_alert.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=to, headers={"Message-ID": alert.message_id}
    )
    message.attach_alternative(html, "text/html")
    return message


def delivery_alert_send(*, alert_id: int) -> bool:
    """Send the administrators' alert once, claimed and retried like a digest but with
    no deadline: it goes out when the mail server is back. An alert whose digests have
    all been sent again since is dropped (a new failure that day opens a new one)."""
    now = timezone.now()
    if not _claim(DeliveryAlert, alert_id, now):
        return False
    alert = DeliveryAlert.objects.get(pk=alert_id)
    mine = DeliveryAlert.objects.filter(
        pk=alert_id, status=DeliveryAlert.Status.SENDING, claimed_at=now
    )
    to = alert_recipients()
    if not to:
        mine.update(status=DeliveryAlert.Status.FAILED, last_error="没有管理员的邮箱地址。")
        logger.error("Delivery alert %s: no administrator has an email address", alert.key)
        return False
    try:
        message = delivery_alert_message(alert=alert, to=to)
        if message is None:
            mine.delete()
            return False
        message.send(fail_silently=False)
    except Exception as error:
        retry_at = timezone.now() + retry_delay(alert.attempts)
        mine.update(
            status=DeliveryAlert.Status.QUEUED,
            next_attempt_at=retry_at,
            last_error=_error_text(error),
        )
        logger.warning("Delivery alert %s: %s; next attempt at %s", alert.key, error, retry_at)
        return False
    DeliveryAlert.objects.filter(pk=alert_id).update(
        status=DeliveryAlert.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        recipients=", ".join(to),
    )
    return True
