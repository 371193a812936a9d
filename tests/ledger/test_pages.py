"""The import pages: upload, preview with every problem, confirm, progress of large
files in the background, and who may see what."""

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cadres.models import Cadre
from ledger import services, views
from ledger.models import ImportJob
from ledger.services import progress_key
from tests.factories import UserFactory

from .conftest import person, upload_file, xlsx

pytestmark = pytest.mark.django_db
UPLOAD_URL = reverse("ledger:upload")


def post_file(client, rows, name="台账.xlsx"):
    return client.post(UPLOAD_URL, {"file": upload_file(xlsx(rows), name)})


def make_job(user, **fields) -> ImportJob:
    fields.setdefault("status", ImportJob.Status.VALID)
    fields.setdefault("total_rows", 1)
    fields.setdefault("original_name", "x.xlsx")
    return ImportJob.objects.create(user=user, file="ledger/x.xlsx", **fields)


def test_upload_page_offers_the_template_and_lists_my_imports(client, staff, unit_a):
    mine = make_job(staff, original_name="我的台账.xlsx")
    make_job(UserFactory(unit=unit_a), original_name="别人的台账.xlsx")
    client.force_login(staff)
    page = client.get(UPLOAD_URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("ledger:template") in body
    assert reverse("ledger:job", args=[mine.pk]) in body
    assert "别人的台账" not in body


def test_small_file_is_checked_at_once_and_imported_after_confirming(client, staff, unit_a):
    client.force_login(staff)
    rows = [person(1, unit_a), person(2, unit_a)]
    response = post_file(client, rows)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == ImportJob.Status.VALID
    page = client.get(response.url)
    body = page.content.decode()
    assert rows[0]["姓名"] in body and rows[1]["姓名"] in body
    assert reverse("ledger:commit", args=[job.pk]) in body
    assert "hx-get" not in body  # nothing to poll
    confirm = client.get(reverse("ledger:commit", args=[job.pk]))
    assert confirm.status_code == 200
    response = client.post(reverse("ledger:commit", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 2)
    assert Cadre.objects.count() == 2
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    # Pressing the button again imports nothing more.
    again = client.post(reverse("ledger:commit", args=[job.pk]))
    assert again.status_code == 302
    assert Cadre.objects.count() == 2
    assert "error" in [m.level_tag for m in get_messages(again.wsgi_request)]


def test_file_that_is_no_ledger_shows_on_the_form(client, staff):
    client.force_login(staff)
    response = client.post(UPLOAD_URL, {"file": upload_file(b"\x00\x01", "台账.xlsx")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_problems_are_listed_with_row_column_value_and_reason(client, staff, unit_a, unit_b):
    client.force_login(staff)
    rows = [person(1, unit_a, 性别="X"), person(2, unit_b)]
    post_file(client, rows)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    page = client.get(job.get_absolute_url())
    body = page.content.decode()
    for problem in job.errors:
        assert problem["message"] in body
    assert "X" in body and unit_b.name in body
    assert reverse("ledger:commit", args=[job.pk]) not in body
    response = client.post(reverse("ledger:commit", args=[job.pk]))
    assert response.status_code == 302
    assert not Cadre.objects.exists()


def test_long_problem_lists_are_paginated(client, staff, unit_a, monkeypatch):
    monkeypatch.setattr(views, "ERRORS_PAGE_SIZE", 2)
    client.force_login(staff)
    post_file(client, [person(n, unit_a, 性别="X") for n in range(1, 6)])
    job = ImportJob.objects.get()
    first = client.get(job.get_absolute_url())
    assert len(first.context["errors"]) == 2
    last = client.get(job.get_absolute_url(), {"page": 3})
    assert [p["row"] for p in last.context["errors"]] == [6]


def test_large_file_is_checked_and_imported_in_the_background_with_progress(
    client, staff, unit_a, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 3
    monkeypatch.setattr(services, "CHECK_CHUNK", 2)
    monkeypatch.setattr(services, "WRITE_BATCH", 2)
    checked, importing = [], []
    real_checked, real_importing = services._report_checked, services._report_importing

    def record_checked(*, job_id, done):
        checked.append(done)
        real_checked(job_id=job_id, done=done)

    def record_importing(*, job_id, percent):
        importing.append((percent, cache.get(progress_key(job_id))))
        real_importing(job_id=job_id, percent=percent)

    monkeypatch.setattr(services, "_report_checked", record_checked)
    monkeypatch.setattr(services, "_report_importing", record_importing)
    client.force_login(staff)
    rows = [person(n, unit_a) for n in range(1, 6)]

    with django_capture_on_commit_callbacks() as queued:
        response = post_file(client, rows)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.UPLOADED and len(queued) == 1
    page = client.get(response.url).content.decode()
    progress_url = reverse("ledger:job_progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 1s"' in page
    assert "htmx.min.js" in page
    waiting = client.get(progress_url, headers={"HX-Request": "true"})
    assert "HX-Refresh" not in waiting

    queued[0]()  # the worker (eager in tests) runs the task
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALID
    assert checked == [2, 4, 5]
    finished = client.get(progress_url, headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 5)
    percents = [percent for percent, _before in importing]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] == 100
    assert 50 in percents  # checked again, then written
    assert cache.get(progress_key(job.pk)) is None


def test_progress_fragment_shows_how_far_a_job_has_got(client, staff):
    client.force_login(staff)
    job = make_job(staff, status=ImportJob.Status.VALIDATING, total_rows=200, processed_rows=90)
    fragment = client.get(reverse("ledger:job_progress", args=[job.pk]))
    body = fragment.content.decode()
    assert "45%" in body and "every 1s" in body
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    cache.set(progress_key(job.pk), 70)
    assert "70%" in client.get(reverse("ledger:job_progress", args=[job.pk])).content.decode()
    cache.delete(progress_key(job.pk))
    unknown = client.get(reverse("ledger:job_progress", args=[job.pk])).content.decode()
    assert "progress-bar-animated" in unknown and "%</div>" not in unknown


def test_a_job_is_seen_only_by_its_user_and_administrators(client, staff, unit_a, superuser):
    job = make_job(UserFactory(unit=unit_a))
    bureau_staff = UserFactory(unit=unit_a, role=User.Role.BUREAU_STAFF)
    names = ["ledger:job", "ledger:job_progress", "ledger:commit"]
    for user in (staff, bureau_staff):
        client.force_login(user)
        for name in names:
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
        assert client.post(reverse("ledger:commit", args=[job.pk])).status_code == 404
    client.force_login(superuser)
    for name in names:
        assert client.get(reverse(name, args=[job.pk])).status_code == 200, name


def test_branch_secretaries_may_not_import(client, unit_a):
    secretary = UserFactory(unit=unit_a, role=User.Role.BRANCH_SECRETARY)
    job = make_job(secretary)
    client.force_login(secretary)
    for url in (
        UPLOAD_URL,
        reverse("ledger:template"),
        reverse("ledger:job", args=[job.pk]),
        reverse("ledger:commit", args=[job.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert post_file(client, [person(1, unit_a)]).status_code == 403
    registry = client.get(reverse("cadres:registry")).content.decode()
    assert UPLOAD_URL not in registry


def test_registry_links_to_the_import(client, staff):
    client.force_login(staff)
    assert UPLOAD_URL in client.get(reverse("cadres:registry")).content.decode()


def test_logged_out_visitors_go_to_the_login_page(client, staff):
    job = make_job(staff)
    for url in (UPLOAD_URL, reverse("ledger:template"), reverse("ledger:job", args=[job.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_upload_page_query_count_does_not_grow_with_jobs(client, staff):
    client.force_login(staff)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(UPLOAD_URL).status_code == 200
        return len(captured)

    make_job(staff)
    few = queries()
    for _ in range(8):
        make_job(staff, status=ImportJob.Status.DONE)
    assert queries() == few


def test_job_page_query_count_does_not_grow_with_problems(client, staff):
    client.force_login(staff)
    problem = {"row": 2, "column": "性别", "value": "X", "message": "不对", "code": "x"}

    def queries(count):
        job = make_job(
            staff,
            status=ImportJob.Status.INVALID,
            errors=[{**problem, "row": n + 2} for n in range(count)],
            error_count=count,
            bad_rows=count,
        )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(job.get_absolute_url()).status_code == 200
        return len(captured)

    assert queries(1) == queries(80)


def test_admin_lists_jobs_read_only(client, superuser, staff):
    job = make_job(staff, errors=[{"row": 2}])
    client.force_login(superuser)
    assert client.get(reverse("admin:ledger_importjob_changelist")).status_code == 200
    change = client.get(reverse("admin:ledger_importjob_change", args=[job.pk]))
    assert change.status_code == 200
    assert client.get(reverse("admin:ledger_importjob_add")).status_code == 403
    assert client.post(reverse("admin:ledger_importjob_delete", args=[job.pk])).status_code == 403
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_tasks_are_registered_and_skip_a_missing_job():
    from config.celery_app import app
    from ledger.tasks import import_commit, import_validate

    assert {"ledger.tasks.import_validate", "ledger.tasks.import_commit"} <= set(app.tasks)
    assert import_validate(0) is None and import_commit(0) is None
