"""A large import ends with fresh planner statistics (ANALYZE) of the tables it wrote;
a small one leaves them to autovacuum."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger.models import ImportJob
from ledger.services import (
    import_job_commit,
    import_job_create,
    import_job_mark_importing,
    import_job_validate,
)

from .conftest import person, upload_file, xlsx

pytestmark = pytest.mark.django_db


def commit_and_capture(user, rows):
    job, sheet = import_job_create(user=user, upload=upload_file(xlsx(rows)))
    job = import_job_validate(job=job, sheet=sheet)
    assert import_job_mark_importing(job=job)
    with CaptureQueriesContext(connection) as queries:
        job = import_job_commit(job=job)
    assert job.status == ImportJob.Status.DONE, job.failure
    return [q["sql"] for q in queries if q["sql"].upper().startswith("ANALYZE")]


@pytest.mark.parametrize(("threshold", "analysed"), [(2, True), (3, False)])
def test_an_import_of_more_rows_than_the_background_threshold_analyses(
    settings, staff, unit_a, branch, threshold, analysed
):
    settings.IMPORT_BACKGROUND_ROWS = threshold
    rows = [person(n, unit_a, 党支部=branch.name) for n in range(1, 4)]
    statements = commit_and_capture(staff, rows)
    assert bool(statements) is analysed
    if analysed:
        text = " ".join(statements)
        for table in ("cadres_cadre", "cadres_familycontact", "branches_branchrole"):
            assert table in text
        assert "cadres_historicalcadre" in text
