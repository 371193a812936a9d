"""Bulk writes end with fresh planner statistics (ANALYZE) of the tables they wrote."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.bulk import analyze_tables
from cadres.models import Cadre, Visit
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def analysed(queries) -> list[str]:
    """The tables named in the ANALYZE statements run, in order."""
    tables = []
    for query in queries:
        sql = query["sql"]
        if sql.upper().startswith("ANALYZE"):
            tables += [name.strip().strip('"') for name in sql[len("ANALYZE") :].split(",")]
    return tables


def test_analyze_tables_analyses_the_models_their_history_and_many_to_many_tables():
    CadreFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        tables = analyze_tables([Cadre, Visit])
    assert tables == [
        "cadres_cadre",
        "cadres_historicalcadre",
        "cadres_visit",
        "cadres_visit_visitors",
        "cadres_historicalvisit",
    ]
    assert analysed(queries) == tables
    if connection.vendor == "sqlite":
        # Bounded: SQLite would otherwise read every index of a large file in full.
        assert any("analysis_limit" in query["sql"] for query in queries)
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            assert "cadres_cadre" in {row[0] for row in cursor.fetchall()}


def test_seed_demo_analyses_what_it_wrote():
    with CaptureQueriesContext(connection) as queries:
        call_command("seed_demo", cadres=3, seed=1, stdout=io.StringIO())
    tables = analysed(queries)
    for table in ("cadres_cadre", "cadres_visit", "accounts_user", "branches_partybranch"):
        assert table in tables
    assert "activities_attendance" in tables
    # After the last write: nothing is inserted once the statistics are taken.
    last_analyze = max(i for i, q in enumerate(queries) if q["sql"].upper().startswith("ANALYZE"))
    assert not any(q["sql"].upper().startswith("INSERT") for q in queries[last_analyze:])
