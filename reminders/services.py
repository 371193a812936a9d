"""Writes of the reminders app: planning a day into the outbox, and sending digests
exactly once."""

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

from .models import CalendarFeed, Digest, Holiday, PlanRun, ReminderItem, new_feed_token
from .rules import DueItem, due_items_by_recipient, holiday_visit_window
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


def _open_digest(recipient_id: int, send_on: datetime.date) -> Digest:
    """The recipient's queued digest for the day, or a new one (a new part when the
    day's digest has gone out already)."""
    digest = (
        Digest.objects.filter(recipient_id=recipient_id, send_on=send_on).order_by("-part").first()
    )
    if digest is not None and digest.status == Digest.Status.QUEUED:
        return digest
    part = digest.part + 1 if digest else 1
    return Digest.objects.create(recipient_id=recipient_id, send_on=send_on, part=part)


@transaction.atomic
def reminders_plan_day(
    *, day: datetime.date, send_on: datetime.date | None = None
) -> tuple[int, list[int]]:
    """Store what is due on ``day`` in the outbox, once.

    Returns (number of new items, ids of digests with new items). Running it again for
    the same day creates nothing: each item's key is unique in the database, and the
    day's PlanRun row is written in the same transaction.
    """
    send_on = send_on or day
    run, _created = PlanRun.objects.get_or_create(day=day)
    plan = due_items_by_recipient(day)
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
    digests that are queued for sending."""
    for day in reminders_days_to_plan(today=today):
        try:
            reminders_plan_day(day=day, send_on=today)
        except IntegrityError:
            # Another planner is on the same day (the schedule fired twice); its rows
            # stand and ours were rolled back.
            logger.info("Reminders for %s are being planned elsewhere", day)
    return list(
        Digest.objects.filter(status=Digest.Status.QUEUED, send_on__lte=today).values_list(
            "pk", flat=True
        )
    )


def _claim(digest_id: int) -> bool:
    """Take the digest for sending with one conditional UPDATE: exactly one worker wins,
    on PostgreSQL and on SQLite alike. A digest left 'sending' by a worker that died is
    taken again after REMINDER_STALE_SENDING_MINUTES."""
    now = timezone.now()
    stale = now - datetime.timedelta(minutes=settings.REMINDER_STALE_SENDING_MINUTES)
    claimed = Digest.objects.filter(
        Q(status=Digest.Status.QUEUED) | Q(status=Digest.Status.SENDING, claimed_at__lt=stale),
        pk=digest_id,
    ).update(status=Digest.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


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


def digest_send(*, digest_id: int) -> bool:
    """Send one digest, exactly once. Returns True when this call sent it, False when
    there was nothing to do (already sent, or another worker has it). An SMTP error
    puts the digest back in the queue (or marks it failed after REMINDER_MAX_ATTEMPTS)
    and is raised again so that the task can retry with backoff."""
    if not _claim(digest_id):
        return False
    digest = Digest.objects.select_related("recipient").get(pk=digest_id)
    if not digest.recipient.email or not digest.recipient.is_active:
        Digest.objects.filter(pk=digest_id).update(
            status=Digest.Status.FAILED, last_error="收件人没有可用的邮箱地址或账号已停用。"
        )
        return False
    try:
        digest_message(digest=digest).send(fail_silently=False)
    except Exception as error:
        exhausted = digest.attempts >= settings.REMINDER_MAX_ATTEMPTS
        Digest.objects.filter(pk=digest_id, status=Digest.Status.SENDING).update(
            status=Digest.Status.FAILED if exhausted else Digest.Status.QUEUED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    Digest.objects.filter(pk=digest_id).update(
        status=Digest.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def digest_requeue(*, digest: Digest) -> Digest:
    """Put a failed digest back in the queue (from admin or the staff site)."""
    updated = Digest.objects.filter(pk=digest.pk, status=Digest.Status.FAILED).update(
        status=Digest.Status.QUEUED, attempts=0, last_error=""
    )
    if not updated:
        raise ValueError("only a failed digest can be sent again")
    digest.refresh_from_db()
    return digest


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
