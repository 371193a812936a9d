"""``manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]``

Plans one day and sends its digests in this process, without a worker: for
installations that prefer cron, and (with --dry-run) to preview each recipient's digest
without writing or sending anything.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from accounts.models import User
from reminders.models import Digest
from reminders.rules import due_items_by_recipient
from reminders.selectors import item_text
from reminders.services import digest_send, reminders_plan_day


class Command(BaseCommand):
    help = "Plan the reminders of a day and send each staff member's digest (or preview)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to plan, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the digests; write and send nothing"
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        translation.activate("zh-hans")
        if dry_run:
            self._preview(day)
            return
        created, _digests = reminders_plan_day(day=day)
        queued = Digest.objects.filter(status=Digest.Status.QUEUED, send_on__lte=day)
        sent = failed = 0
        for digest_id in queued.values_list("pk", flat=True):
            try:
                sent += digest_send(digest_id=digest_id)
            except Exception as error:  # the digest stays queued (or failed) for a retry
                failed += 1
                self.stderr.write(f"digest {digest_id}: {error}")
        self.stdout.write(f"{day}: {created} new items, {sent} digests sent, {failed} failed")
        if failed:
            raise CommandError(f"{failed} digests could not be sent")

    def _preview(self, day):
        plan = due_items_by_recipient(day)
        users = User.objects.in_bulk(list(plan))
        self.stdout.write(f"== {day}: {len(plan)} recipients (dry run, nothing sent)")
        for user_id, items in sorted(plan.items(), key=lambda pair: users[pair[0]].username):
            user = users[user_id]
            self.stdout.write(f"\n# {user.display_name} <{user.email or '—'}> ({len(items)})")
            for item in sorted(items, key=lambda i: (i.kind, i.occurrence, i.subject_key)):
                self.stdout.write(f"  - {item_text(item.kind, item.details, item.occurrence)}")
