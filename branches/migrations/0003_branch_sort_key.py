"""Branches in natural order (第1 … 第9, 第10): a sort key column, filled for the
branches already there (raw SQL in batches, as a bureau may have thousands)."""

from django.db import migrations

import branches.natural_order

BATCH = 2000


def fill_sort_keys(apps, schema_editor):
    connection = schema_editor.connection
    table = connection.ops.quote_name("branches_partybranch")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM {table} ORDER BY id")
        rows = cursor.fetchall()
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"UPDATE {table} SET sort_key = %s WHERE id = %s",
                [
                    (branches.natural_order.natural_sort_key(name), pk)
                    for pk, name in rows[start : start + BATCH]
                ],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0002_alter_historicalpartybranch_name_and_more"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="partybranch",
            options={
                "ordering": ["kind", "sort_key", "id"],
                "verbose_name": "party branch",
                "verbose_name_plural": "party branches",
            },
        ),
        migrations.AddField(
            model_name="partybranch",
            name="sort_key",
            field=branches.natural_order.NaturalSortKeyField(
                db_index=True, default="", source="name", verbose_name="sort key"
            ),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
