import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.services import dashboard_refresh


class Command(BaseCommand):
    help = "Work out the dashboard snapshot of a day (today by default), as the daily task does."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, day=None, **options):
        snapshot = dashboard_refresh(day=day or timezone.localdate())
        self.stdout.write(f"dashboard snapshot of {snapshot.day}: {snapshot.entries.count()} rows")
