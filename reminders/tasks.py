"""Celery tasks: take ids, re-read the database, call a service.

Retries do not live in the broker: a digest the mail server refused waits in the
database for its next attempt time, and ``send_due_reminders`` (beat, every two minutes)
sends whatever is due — so a worker killed while holding messages loses nothing, and a
second plan run or a duplicate task finds nothing due and spends no attempt.
"""

from celery import shared_task
from django.utils import timezone

from .delivery_selectors import due_alert_ids, due_digest_ids
from .delivery_services import delivery_alert_send, digest_send
from .services import reminders_plan_due_days

# A send task still in the queue after this long is dropped: the sweep has queued a
# fresh one by then (a backlog of duplicates would only find nothing to claim).
SEND_TASK_EXPIRES = 10 * 60


def _enqueue_sends(digest_ids, alert_ids=()) -> None:
    for digest_id in digest_ids:
        send_digest.apply_async((digest_id,), expires=SEND_TASK_EXPIRES)
    for alert_id in alert_ids:
        send_delivery_alert.apply_async((alert_id,), expires=SEND_TASK_EXPIRES)


@shared_task(name="reminders.tasks.plan_daily_reminders")
def plan_daily_reminders() -> int:
    """Plan today (and missed days) and queue a send task per digest that is due."""
    digest_ids = reminders_plan_due_days(today=timezone.localdate())
    _enqueue_sends(digest_ids)
    return len(digest_ids)


@shared_task(name="reminders.tasks.send_due_reminders")
def send_due_reminders() -> int:
    """The sweep: queue a send task for every digest and alert whose next attempt has
    come, and for those left "sending" by a worker that died."""
    now = timezone.now()
    digest_ids = due_digest_ids(now=now)
    alert_ids = due_alert_ids(now=now)
    _enqueue_sends(digest_ids, alert_ids)
    return len(digest_ids) + len(alert_ids)


@shared_task(name="reminders.tasks.send_digest", acks_late=True)
def send_digest(digest_id: int) -> bool:
    return digest_send(digest_id=digest_id)


@shared_task(name="reminders.tasks.send_delivery_alert", acks_late=True)
def send_delivery_alert(alert_id: int) -> bool:
    return delivery_alert_send(alert_id=alert_id)
