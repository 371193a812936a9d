import pytest
from ledger.services import (
    import_job_create,
    import_job_validate,
    import_job_mark_importing,
    import_job_commit,
)
from tests.ledger.conftest import person, xlsx, upload_file
from cadres.models import Cadre


@pytest.mark.django_db
def test_smoke(staff, unit_a, branch):
    rows = [person(i, unit_a) for i in range(1, 6)]
    rows[1]["党支部"] = branch.name
    rows[2]["紧急联系人姓名"] = "李四"
    rows[2]["紧急联系人关系"] = "儿子"
    rows[3]["身份证号"] = rows[3]["身份证号"][:-1] + (
        "0" if rows[3]["身份证号"][-1] != "0" else "1"
    )
    rows[4]["出生日期"] = "1950-02-30"
    job, sheet = import_job_create(user=staff, upload=upload_file(xlsx(rows)))
    job = import_job_validate(job=job, sheet=sheet)
    print(job.status, job.failure, job.errors, job.preview)
    rows = rows[:3]
    job, sheet = import_job_create(user=staff, upload=upload_file(xlsx(rows)))
    job = import_job_validate(job=job, sheet=sheet)
    print(job.status, job.errors)
    assert import_job_mark_importing(job=job)
    job = import_job_commit(job=job)
    print(
        job.status,
        job.failure,
        job.created_count,
        list(Cadre.objects.values_list("name", "name_pinyin", "health_changed_on")),
    )
    print(Cadre.history.first().history_change_reason, Cadre.history.first().history_user)
