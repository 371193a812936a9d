"""``manage.py restore DIR [--yes]``: replace the database with a backup made by
``manage.py backup``, then check every table's rows against its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cadres.backups import KEY_TABLES, BackupError, backup_read_manifest, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup folder written by `manage.py backup` "
        "(and copy its media and private files back), after checking its checksum; then "
        "compare the rows of every table with the manifest. Stop the web app, the worker "
        "and beat first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="the backup folder (yinling-…)")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation (for scripts)"
        )

    def handle(self, *args, folder, yes=False, **options):
        folder = Path(folder)
        try:
            manifest = backup_read_manifest(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            f"Backup of {manifest['created_at']} ({manifest['engine']}, "
            f"{manifest['row_counts'].get('cadres_cadre', 0)} cadres), checksum correct."
        )
        if not yes:
            self.stdout.write(
                self.style.WARNING(
                    f"恢复将替换数据库中的全部记录。 Every record in {database} will be replaced "
                    "by this backup. Stop the web app, the worker and beat first."
                )
            )
            try:
                answer = input("Type 'yes' to restore: ")
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("Not restored: no confirmation (answer 'yes', or --yes).")
        try:
            restored = backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        expected = manifest["row_counts"]
        for table in KEY_TABLES:
            if table in expected:
                actual = restored.counts.get(table)
                mark = "ok" if actual == expected[table] else "DIFFERS"
                self.stdout.write(f"  {table:<24} {expected[table]:>9} {actual!s:>9}  {mark}")
        if restored.keys_installed:
            self.stdout.write(restored.keys_installed)
        if restored.id_numbers_readable is False:
            self.stderr.write(
                self.style.ERROR(
                    "The ID numbers of this backup do not open with this installation's keys: "
                    "set YINLING_FIELD_ENCRYPTION_KEYS and YINLING_LOOKUP_HASH_KEY to the keys "
                    "the backup was made with (or restore the laptop's field-keys.json), and "
                    "restart."
                )
            )
        if restored.unknown_migrations:
            self.stderr.write(
                self.style.WARNING(
                    "The backup is of a newer version of Yinling (migrations unknown here: "
                    + ", ".join(restored.unknown_migrations)
                    + "): update the code."
                )
            )
        elif restored.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(restored.unapplied_migrations)} migrations are newer than the "
                    "backup: run `manage.py migrate`."
                )
            )
        if restored.mismatches:
            details = ", ".join(
                f"{table}: {want} expected, {got} found"
                for table, (want, got) in sorted(restored.mismatches.items())
            )
            raise CommandError(f"Restored, but rows differ from the manifest: {details}")
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成 Restored: {len(expected)} tables, {sum(expected.values())} rows, "
                "as in the manifest."
            )
        )
