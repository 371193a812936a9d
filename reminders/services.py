"""Writes of the reminders app: planning a day into the outbox, and sending digests
exactly once — trying again with capped backoff until each digest's deadline, and
telling the administrators (once a day, by an alert that is itself an outbox row) of
digests that failed for good."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from cadres.bulk import bulk_insert_values
from cadres.models import Cadre, Visit
from cadres.services import visits_record_group

from .delivery_selectors import alert_recipients, due_filter, failed_digests_of
from .due_items import DueItem
from .holiday_rules import holiday_visit_window
from .models import (
    CalendarFeed,
    DeliveryAlert,
    Digest,
    Holiday,
    PlanProblem,
    PlanRun,
    ReminderItem,
    new_feed_token,
)
from .problems import Problem, collecting_problems
from .rules import due_items_by_recipient
from .selectors import digest_sections

logger = logging.getLogger(__name__)


ITEM_COLUMNS = [
    "recipient",
    "kind",
    "subject_key",
    "occurrence",
    "cadre",
    "branch",
    "planned_for",
    "digest",
    "details",
    "created_at",
]


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


def _open_digest(recipient_id: int, send_on: datetime.date) -> Digest:
    """The recipient's queued digest for the day, or a new one (a new part when the
    day's digest has gone out already)."""
    digest = (
        Digest.objects.filter(recipient_id=recipient_id, send_on=send_on).order_by("-part").first()
    )
    if digest is not None and digest.status == Digest.Status.QUEUED:
        return digest
    part = digest.part + 1 if digest else 1
    now = timezone.now()
    return Digest.objects.create(
        recipient_id=recipient_id,
        send_on=send_on,
        part=part,
        next_attempt_at=now,
        deadline=digest_deadline(send_on=send_on, now=now),
    )


def _store_problems(day: datetime.date, problems: list[Problem]) -> None:
    """The day's skipped records, as this run found them (a record put right since an
    earlier run of the same day is no longer listed)."""
    PlanProblem.objects.filter(day=day).delete()
    PlanProblem.objects.bulk_create(
        [
            PlanProblem(
                day=day,
                kind=problem.kind,
                subject_key=f"cadre:{problem.cadre_id}" if problem.cadre_id else "rule",
                cadre_id=problem.cadre_id,
                error=problem.error,
            )
            for problem in problems
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def reminders_plan_day(
    *, day: datetime.date, send_on: datetime.date | None = None
) -> tuple[int, list[int]]:
    """Store what is due on ``day`` in the outbox, once.

    Returns (number of new items, ids of digests with new items). Running it again for
    the same day creates nothing: each item's key is unique in the database, and the
    day's PlanRun row is written in the same transaction. A record that makes a rule
    raise is skipped and stored as a PlanProblem of the day.
    """
    send_on = send_on or day
    run, _created = PlanRun.objects.get_or_create(day=day)
    # A record a rule cannot compute is skipped (and listed for administrators); the
    # others' reminders still go.
    with collecting_problems() as problems:
        plan = due_items_by_recipient(day)
    _store_problems(day, problems)
    existing = set(
        ReminderItem.objects.filter(recipient_id__in=plan.keys())
        .filter(
            Q(occurrence__gte=day - datetime.timedelta(days=400)),
        )
        .values_list("recipient_id", "kind", "subject_key", "occurrence")
    )
    new_by_recipient: dict[int, list[DueItem]] = {}
    for recipient_id, items in plan.items():
        fresh = [
            item
            for item in items
            if (recipient_id, item.kind, item.subject_key, item.occurrence) not in existing
        ]
        if fresh:
            new_by_recipient[recipient_id] = fresh
    digests = {rid: _open_digest(rid, send_on) for rid in new_by_recipient}
    now = timezone.now()
    rows = [
        (
            recipient_id,
            item.kind,
            item.subject_key,
            item.occurrence,
            item.cadre_id,
            item.branch_id,
            day,
            digests[recipient_id].pk,
            item.details,
            now,
        )
        for recipient_id, items in new_by_recipient.items()
        for item in items
    ]
    # A holiday round is one row per cadre on the register: insert without building
    # model instances. A row a concurrent planner wrote first is skipped.
    bulk_insert_values(ReminderItem, ITEM_COLUMNS, rows, ignore_conflicts=True)
    PlanRun.objects.filter(pk=run.pk).update(item_count=F("item_count") + len(rows))
    # A digest whose items all lost a race to a concurrent planner is left empty: drop it.
    Digest.objects.filter(
        pk__in=[d.pk for d in digests.values()], items__isnull=True, status=Digest.Status.QUEUED
    ).delete()
    return len(rows), [d.pk for d in digests.values()]


def reminders_days_to_plan(*, today: datetime.date) -> list[datetime.date]:
    """Today, and the days since the last planned one that were missed while the system
    was down (at most REMINDER_CATCH_UP_DAYS back)."""
    last = PlanRun.objects.filter(day__lt=today).order_by("-day").values_list("day", flat=True)
    last_day = last.first()
    earliest = today - datetime.timedelta(days=settings.REMINDER_CATCH_UP_DAYS)
    start = max(last_day + datetime.timedelta(days=1), earliest) if last_day else today
    planned = set(
        PlanRun.objects.filter(day__gte=start, day__lte=today).values_list("day", flat=True)
    )
    days = []
    current = start
    while current <= today:
        if current not in planned or current == today:
            days.append(current)
        current += datetime.timedelta(days=1)
    return days


def reminders_plan_due_days(*, today: datetime.date) -> list[int]:
    """Plan today and any missed days, all into today's digests. Returns the ids of the
    digests due for sending now (one waiting for its next attempt is not: a second
    plan run never spends an attempt early)."""
    for day in reminders_days_to_plan(today=today):
        try:
            reminders_plan_day(day=day, send_on=today)
        except IntegrityError:
            # Another planner is on the same day (the schedule fired twice); its rows
            # stand and ours were rolled back.
            logger.info("Reminders for %s are being planned elsewhere", day)
    return list(
        Digest.objects.filter(due_filter(now=timezone.now()), send_on__lte=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


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


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give the user a calendar feed address with a new secret token. A feed they had
    already answers 404 at its old address from this moment on; calendar apps must be
    given the new one."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.reset_at = timezone.now()
        # Fetches of the old address say nothing about the new one.
        feed.last_fetched_at = None
    feed.full_clean()
    feed.save()
    return feed


def calendar_feed_record_fetch(*, feed: CalendarFeed) -> None:
    """Note that a calendar app fetched the feed (shown to the user, so they can tell
    whether their subscription works). One UPDATE, without touching the token."""
    feed.last_fetched_at = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=feed.last_fetched_at)


def holiday_visits_record_group(
    *,
    by: User,
    holiday: Holiday,
    occurrence: datetime.date,
    cadres: Iterable[Cadre],
    visited_on: datetime.date,
    **fields: Any,
) -> list[Visit]:
    """One group event of a holiday campaign (a 春节 gathering) recorded as a done visit
    with the holiday's occasion to each cadre who took part. A date outside the
    occurrence's visit window is refused: such a visit would not count for it."""
    first, last = holiday_visit_window(holiday, occurrence)
    if not first <= visited_on <= last:
        raise ValidationError(
            {
                "visited_on": _(
                    "The visit date must be between %(first)s and %(last)s "
                    "(the %(holiday)s visit window)."
                )
                % {"first": first.isoformat(), "last": last.isoformat(), "holiday": holiday.name}
            }
        )
    return visits_record_group(
        by=by,
        cadres=cadres,
        occasion=holiday.occasion,
        status=Visit.Status.DONE,
        visited_on=visited_on,
        **fields,
    )
