"""Store the full pinyin of names syllable by syllable ("chen jian guo"), so that names
sort as in a pinyin index: every 陈 (chen …) before every 程 (cheng …).

Raw SQL in batches: 100,000 cadres respell in seconds, and the history rows keep what
they recorded. On PostgreSQL the column also compares byte by byte (collation "C"):
a language collation may pass over spaces, which would put "cheng" back among the
"chen …" names. (A later AlterField of this column must keep ``COLLATE "C"``.)"""

from django.db import migrations

from cadres.pinyin import name_pinyin

BATCH = 2000


def _respell(schema_editor, spell) -> None:
    connection = schema_editor.connection
    table = connection.ops.quote_name("cadres_cadre")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM {table} ORDER BY id")
        rows = cursor.fetchall()
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"UPDATE {table} SET name_pinyin = %s, name_initials = %s WHERE id = %s",
                [(*spell(name or ""), pk) for pk, name in rows[start : start + BATCH]],
            )


def _collation(schema_editor, collation: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite compares text byte by byte already
    schema_editor.execute(
        'ALTER TABLE "cadres_cadre" ALTER COLUMN "name_pinyin" '
        f'TYPE varchar(200) COLLATE "{collation}"'
    )


def forwards(apps, schema_editor):
    _collation(schema_editor, "C")
    _respell(schema_editor, name_pinyin)


def backwards(apps, schema_editor):
    _collation(schema_editor, "default")
    _respell(
        schema_editor, lambda name: (name_pinyin(name)[0].replace(" ", ""), name_pinyin(name)[1])
    )


class Migration(migrations.Migration):
    dependencies = [("cadres", "0013_visit_cancelled_has_reason")]

    operations = [migrations.RunPython(forwards, backwards)]
