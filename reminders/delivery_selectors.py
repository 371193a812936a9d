"""Reads of the delivery side of the reminders: what the sweep must send now, and what
administrators must be told (failed digests, records the plan skipped)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q

from accounts.models import User

from .models import DeliveryAlert, Digest, PlanProblem, PlanRun

# How far back the dashboard looks for digests that failed for good.
FAILED_DIGEST_DAYS = 7
# Skipped records listed on the dashboard (the rest are in admin).
PROBLEMS_SHOWN = 5


def due_filter(*, now: datetime.datetime) -> Q:
    """Outbox rows that may be claimed now: queued ones whose next attempt has come, and
    ones left "sending" longer than REMINDER_STALE_SENDING_MINUTES (their worker died)."""
    stale = now - datetime.timedelta(minutes=settings.REMINDER_STALE_SENDING_MINUTES)
    return Q(status=Digest.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=Digest.Status.SENDING, claimed_at__lt=stale
    )


def due_digest_ids(*, now: datetime.datetime) -> list[int]:
    return list(
        Digest.objects.filter(due_filter(now=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )


def due_alert_ids(*, now: datetime.datetime) -> list[int]:
    return list(
        DeliveryAlert.objects.filter(due_filter(now=now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def failed_digests_of(*, day: datetime.date) -> list[Digest]:
    """The day's digests that failed for good, for the administrators' alert."""
    return list(
        Digest.objects.filter(send_on=day, status=Digest.Status.FAILED)
        .select_related("recipient")
        .order_by("recipient__username", "part")
    )


def alert_recipients() -> list[str]:
    """The addresses of active administrators (by role or superuser)."""
    return sorted(
        set(
            User.objects.filter(is_active=True)
            .filter(Q(role=User.Role.ADMINISTRATOR) | Q(is_superuser=True))
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def is_administrator(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role == User.Role.ADMINISTRATOR)


def delivery_troubles(*, user: User, today: datetime.date) -> dict | None:
    """For administrators: digests that failed for good in the last week and the records
    the latest plan skipped (the dashboard's banner), in at most four queries. None for
    everyone else, or when all is well."""
    if not is_administrator(user):
        return None
    since = today - datetime.timedelta(days=FAILED_DIGEST_DAYS)
    failed = Digest.objects.filter(status=Digest.Status.FAILED, send_on__gte=since).count()
    last_day = PlanRun.objects.filter(day__lte=today).order_by("-day").values_list("day", flat=True)
    day = last_day.first()
    problems = PlanProblem.objects.filter(day=day) if day else PlanProblem.objects.none()
    problem_count = problems.count() if day else 0
    if not failed and not problem_count:
        return None
    return {
        "failed": failed,
        "failed_since": since,
        "problems": list(problems.select_related("cadre").order_by("kind", "id")[:PROBLEMS_SHOWN]),
        "problem_count": problem_count,
        "problem_day": day,
    }
