"""On PostgreSQL, a trigram index on the name: a search for part of a name ("东关社区",
"张三丰") reads it instead of every cadre. pg_trgm ships with PostgreSQL and is a
trusted extension (the database's owner may create it). SQLite searches its smaller
registers without it."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cadre_name_trgm_idx ON cadres_cadre "
        "USING gin (name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cadre_name_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("cadres", "0020_planned_visits_index")]

    operations = [migrations.RunPython(create, drop)]
