from django.core.management.base import BaseCommand

from accounts.services import role_groups_sync


class Command(BaseCommand):
    help = "Create or refresh the permission group of each role and put every user in theirs."

    def handle(self, *args, **options):
        for role, group in role_groups_sync().items():
            self.stdout.write(f"{role}: {group.name} ({group.permissions.count()} permissions)")
