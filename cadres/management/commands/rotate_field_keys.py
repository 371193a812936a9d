"""Re-encrypt every stored ID number under the newest key, and recompute their hashes.

Rotation: put a new key in front of YINLING_FIELD_ENCRYPTION_KEYS, keeping the old ones
after it (and set a new YINLING_LOOKUP_HASH_KEY if the hash key changes too: hashes are
computed afresh from the decrypted numbers), restart the app, run this command, then
drop the old encryption keys. Until it has run, look-ups by ID number use the new hash
key and miss the rows not yet rotated, so run it straight after the restart.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from cadres import encryption

BATCH = 1000


class Command(BaseCommand):
    help = "Re-encrypt ID numbers under the newest key and recompute their lookup hashes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate",
            action="store_true",
            help="Print new values for YINLING_FIELD_ENCRYPTION_KEYS and "
            "YINLING_LOOKUP_HASH_KEY, and change nothing.",
        )

    def handle(self, *args, generate=False, **options):
        if generate:
            for name, value in encryption.generate_keys().items():
                self.stdout.write(f"{name}={value}")
            return
        quote = connection.ops.quote_name
        cadres = self._rotate(
            quote("cadres_cadre"),
            "id",
            lambda token, number: {
                "id_number": encryption.reencrypt(token),
                "id_number_hash": encryption.lookup_hash(number),
                "id_number_tail_hash": encryption.lookup_hash(number[-4:]),
            },
        )
        history = self._rotate(
            quote("cadres_historicalcadre"),
            "history_id",
            lambda token, number: {"id_number": encryption.reencrypt(token)},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {cadres} ID numbers and {history} history rows under the newest key."
            )
        )

    def _rotate(self, table: str, key: str, new_values) -> int:
        done = 0
        last = 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {key}, id_number FROM {table} WHERE {key} > %s "
                    f"ORDER BY {key} LIMIT {BATCH}",
                    [last],
                )
                rows = cursor.fetchall()
                for pk, token in rows:
                    if not token:
                        continue
                    values = new_values(token, encryption.decrypt(token))
                    assignments = ", ".join(f"{column} = %s" for column in values)
                    cursor.execute(
                        f"UPDATE {table} SET {assignments} WHERE {key} = %s",
                        [*values.values(), pk],
                    )
                    done += 1
            if len(rows) < BATCH:
                return done
            last = rows[-1][0]
