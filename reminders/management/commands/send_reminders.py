"""``manage.py send_reminders [--date YYYY-MM-DD] [--dry-run | --send-due | --retry-failed]``

Plans one day and sends what is due in this process, without a worker: for
installations that prefer cron (run it at 07:30, and with --send-due every few minutes
for the retries), and (with --dry-run) to preview each recipient's digest without
writing or sending anything. --retry-failed puts the digests that failed for good (of
--date, or of the last REMINDER_CATCH_UP_DAYS days) back in the queue and sends them.
--if-never-planned does all this only on a database that has never planned a day
(``make run`` uses it, so that a newcomer sees a reminder at once, not at 07:30 tomorrow).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from accounts.models import User
from reminders.delivery_selectors import due_alert_ids, due_digest_ids
from reminders.delivery_services import (
    delivery_alert_send,
    digest_send,
    digests_requeue_failed,
)
from reminders.item_text import item_text
from reminders.models import Digest, PlanRun
from reminders.rules import due_items_by_recipient
from reminders.services import reminders_plan_day


class Command(BaseCommand):
    help = "Plan the reminders of a day and send each staff member's digest (or preview)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to plan, YYYY-MM-DD (default: today)")
        modes = parser.add_mutually_exclusive_group()
        modes.add_argument(
            "--dry-run", action="store_true", help="print the digests; write and send nothing"
        )
        modes.add_argument(
            "--send-due",
            action="store_true",
            help="plan nothing; send the digests whose next attempt has come",
        )
        modes.add_argument(
            "--retry-failed",
            action="store_true",
            help="send again the digests that failed for good (of --date, or of recent days)",
        )

        parser.add_argument(
            "--if-never-planned",
            action="store_true",
            help="do nothing if any day has been planned before (for make run)",
        )

    def handle(
        self,
        *args,
        date=None,
        dry_run=False,
        send_due=False,
        retry_failed=False,
        if_never_planned=False,
        **options,
    ):
        if if_never_planned and PlanRun.objects.exists():
            return
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        translation.activate("zh-hans")
        if dry_run:
            self._preview(day)
            return
        created = 0
        if retry_failed:
            since = day if date else day - datetime.timedelta(days=settings.REMINDER_CATCH_UP_DAYS)
            requeued = digests_requeue_failed(since=since, until=day)
            self.stdout.write(f"{len(requeued)} failed digests queued again")
        elif not send_due:
            created, _digests = reminders_plan_day(day=day)
        sent, waiting = self._send_due()
        self.stdout.write(
            f"{day}: {created} new items, {sent} digests sent, {waiting} failed"
            + (" (queued for another attempt)" if waiting else "")
        )
        if waiting:
            raise CommandError(f"{waiting} digests could not be sent")
        if if_never_planned:
            where = getattr(settings, "EMAIL_FILE_PATH", None) or settings.EMAIL_BACKEND
            self.stdout.write(f"已生成今天的提醒邮件，见 {where}")

    def _send_due(self) -> tuple[int, int]:
        """Send every digest and alert that is due now. Returns (sent, not sent)."""
        now = timezone.now()
        digest_ids = due_digest_ids(now=now)
        sent = sum(digest_send(digest_id=digest_id) for digest_id in digest_ids)
        for alert_id in due_alert_ids(now=now):
            delivery_alert_send(alert_id=alert_id)
        unsent = Digest.objects.filter(pk__in=digest_ids).exclude(status=Digest.Status.SENT)
        for digest_id, status, error in unsent.values_list("pk", "status", "last_error"):
            self.stderr.write(f"digest {digest_id} ({status}): {error}")
        return sent, unsent.count()

    def _preview(self, day):
        plan = due_items_by_recipient(day)
        users = User.objects.in_bulk(list(plan))
        self.stdout.write(f"== {day}: {len(plan)} recipients (dry run, nothing sent)")
        for user_id, items in sorted(plan.items(), key=lambda pair: users[pair[0]].username):
            user = users[user_id]
            self.stdout.write(f"\n# {user.display_name} <{user.email or '—'}> ({len(items)})")
            for item in sorted(items, key=lambda i: (i.kind, i.occurrence, i.subject_key)):
                self.stdout.write(f"  - {item_text(item.kind, item.details, item.occurrence)}")
