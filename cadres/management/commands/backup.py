"""``manage.py backup [--to DIR] [--with-keys]``: a consistent copy of the database, the
uploaded media and the private files in a dated folder (see cadres/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cadres.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database (SQLite online backup or pg_dump), a "
        "manifest, the uploaded media and the private files (PRIVATE_FILES_ROOT) to "
        "DIR/yinling-YYYYmmdd-HHMMSS (default DIR: var/backups). The keys of the ID "
        "numbers are not included."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", metavar="DIR", help="folder to create the backup in (default var/backups)"
        )
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="also copy the laptop's generated key file (var/field-keys.json): only "
            "for moving a laptop installation to another machine",
        )

    def handle(self, *args, to=None, with_keys=False, **options):
        try:
            folder, manifest = backup_create(parent=Path(to) if to else None, with_keys=with_keys)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = manifest["row_counts"]
        self.stdout.write(
            f"{len(counts)} tables, {sum(counts.values())} rows "
            f"({counts.get('cadres_cadre', 0)} cadres), {manifest['media_files']} media files, "
            f"{manifest['private_files']} private files; "
            f"sha256 {manifest['sha256']}"
        )
        self.stdout.write(self.style.WARNING(manifest["field_keys_note"]))
        self.stdout.write(self.style.SUCCESS(f"备份完成 Backup written: {folder}"))
