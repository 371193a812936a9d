"""Encrypt the resident ID numbers already stored in plain text, and fill their hashes.

Raw SQL on purpose: the model of this state decrypts what it reads, and the rows read
here are not encrypted yet. Running it again changes nothing (tokens are recognised)."""

from django.db import migrations

from cadres import encryption


def _rows(cursor, table, key):
    cursor.execute(f"SELECT {key}, id_number FROM {table}")
    return cursor.fetchall()


def encrypt_id_numbers(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for pk, number in _rows(cursor, quote("cadres_cadre"), "id"):
            if not number or number.startswith(encryption.TOKEN_PREFIX):
                continue
            cursor.execute(
                f"UPDATE {quote('cadres_cadre')} SET id_number = %s, id_number_hash = %s, "
                "id_number_tail_hash = %s WHERE id = %s",
                [
                    encryption.encrypt(number),
                    encryption.lookup_hash(number),
                    encryption.lookup_hash(number[-4:]),
                    pk,
                ],
            )
        for pk, number in _rows(cursor, quote("cadres_historicalcadre"), "history_id"):
            if not number or number.startswith(encryption.TOKEN_PREFIX):
                continue
            cursor.execute(
                f"UPDATE {quote('cadres_historicalcadre')} SET id_number = %s "
                "WHERE history_id = %s",
                [encryption.encrypt(number), pk],
            )


def decrypt_id_numbers(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, key in (("cadres_cadre", "id"), ("cadres_historicalcadre", "history_id")):
            for pk, token in _rows(cursor, quote(table), key):
                if token and token.startswith(encryption.TOKEN_PREFIX):
                    cursor.execute(
                        f"UPDATE {quote(table)} SET id_number = %s WHERE {key} = %s",
                        [encryption.decrypt(token), pk],
                    )


class Migration(migrations.Migration):
    dependencies = [("cadres", "0007_id_number_encrypted")]

    operations = [migrations.RunPython(encrypt_id_numbers, decrypt_id_numbers)]
