from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scoping import require_editor
from cadres.selectors import registry_filter_choices

from .columns import COLUMNS_BY_KEY
from .forms import UploadForm
from .models import ImportJob
from .selectors import import_job_for, import_job_percent, recent_import_jobs
from .services import (
    import_job_commit,
    import_job_create,
    import_job_mark_importing,
    import_job_runs_in_background,
    import_job_validate,
)
from .tasks import import_commit, import_validate
from .template import TEMPLATE_FILENAME, XLSX_CONTENT_TYPE, template_workbook

JOBS_PAGE_SIZE = 20
ERRORS_PAGE_SIZE = 100
# The columns of the preview's sample rows (the emergency contact in one cell).
PREVIEW_COLUMNS = [
    "name",
    "gender",
    "birth_date",
    "id_number",
    "retirement_kind",
    "unit",
    "branch",
    "contact_name",
]


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    require_editor(user=request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job, sheet = import_job_create(user=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if import_job_runs_in_background(job=job):
                import_validate.delay_on_commit(job.pk)
                messages.success(
                    request,
                    _("The file has %(count)s rows; it is being checked.") % {"count": len(sheet)},
                )
            else:
                job = import_job_validate(job=job, sheet=sheet)
                if job.status == ImportJob.Status.VALID:
                    messages.success(request, _("The file has been checked."))
                else:
                    messages.warning(request, _("The file has been checked and has problems."))
            return redirect(job)
    jobs = Paginator(recent_import_jobs(user=request.user), JOBS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "ledger/upload.html", {"form": form, "jobs": jobs})


@login_required
def template(request):
    require_editor(user=request.user)
    choices = registry_filter_choices(user=request.user)
    content = template_workbook(
        unit_names=list(choices["units"].values_list("name", flat=True)),
        branch_names=list(choices["branches"].values_list("name", flat=True)),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, TEMPLATE_FILENAME)
    return response


def _job_context(request, job: ImportJob) -> dict:
    return {"job": job, "percent": import_job_percent(job=job)}


@login_required
def job(request, pk: int):
    require_editor(user=request.user)
    job = import_job_for(user=request.user, pk=pk)
    errors = Paginator(job.errors, ERRORS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/job.html",
        {
            **_job_context(request, job),
            "errors": errors,
            "preview_headers": [COLUMNS_BY_KEY[key].header for key in PREVIEW_COLUMNS],
        },
    )


@login_required
def job_progress(request, pk: int):
    """htmx fragment polled every second while the job runs; once it has finished, the
    whole page is reloaded to show the outcome."""
    require_editor(user=request.user)
    job = import_job_for(user=request.user, pk=pk)
    response = render(request, "ledger/_job_progress.html", _job_context(request, job))
    if request.headers.get("HX-Request") and not job.is_running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def commit(request, pk: int):
    require_editor(user=request.user)
    job = import_job_for(user=request.user, pk=pk)
    if request.method == "GET":
        return render(request, "ledger/commit_confirm.html", {"job": job})
    confirmed = request.POST.get("ignore_unknown_columns") == "on"
    if job.unknown_columns and not confirmed:
        messages.error(
            request,
            _(
                "Nothing has been imported: some columns hold data that would be left out. "
                "Tick “Leave these columns out and continue”, or correct the headers and "
                "upload the file again."
            ),
        )
        return redirect(job)
    if not import_job_mark_importing(job=job, unknown_columns_confirmed=confirmed):
        messages.error(request, _("This file cannot be imported now."))
        return redirect(job)
    if import_job_runs_in_background(job=job):
        import_commit.delay_on_commit(job.pk)
        messages.success(request, _("The import has started."))
        return redirect(job)
    job = import_job_commit(job=job)
    if job.status == ImportJob.Status.DONE:
        messages.success(
            request,
            _("%(count)s cadres have been added to the registry.") % {"count": job.created_count},
        )
    else:
        messages.error(request, job.failure)
    return redirect(job)
