"""Writes of the reminders app's daily plan: what is due on a day stored in the outbox
once (each item under a unique key, each day's run remembered), the records a rule had
to skip kept for administrators, and the days missed while the system was down caught
up into today's digests. Sending the digests is in ``delivery_services``; the calendar
feed's and the holiday campaign's writes in ``feed_services`` and
``campaign_services``."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from cadres.bulk import bulk_insert_values

from .delivery_selectors import due_filter
from .delivery_services import digest_deadline
from .due_items import DueItem
from .models import Digest, PlanProblem, PlanRun, ReminderItem
from .problems import Problem, collecting_problems
from .rules import due_items_by_recipient

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
