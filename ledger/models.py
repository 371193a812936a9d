import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def upload_path(job: "ImportJob", filename: str) -> str:
    # A random name: the file holds resident ID numbers, and its name must not be
    # guessable from the original one (which the job keeps for display).
    suffix = PurePath(filename).suffix.lower()
    return f"ledger/imports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def rows_path(job: "ImportJob", filename: str) -> str:
    return f"ledger/imports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.rows.json"


class ImportJob(models.Model):
    """台账导入: one uploaded spreadsheet of cadres, checked row by row and then, if
    every row is good, imported all at once (or not at all)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting to be checked")
        VALIDATING = "validating", _("Checking")
        VALID = "valid", _("Ready to import")
        INVALID = "invalid", _("Has errors")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", pgettext_lazy("import", "Failed")

    RUNNING = (Status.UPLOADED, Status.VALIDATING, Status.IMPORTING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    file = models.FileField(_("file"), upload_to=upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    rows_file = models.FileField(
        _("rows read from the file"), upload_to=rows_path, max_length=200, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    errors = models.JSONField(
        _("errors"),
        default=list,
        blank=True,
        help_text=_("Each problem: row, column header, value and message."),
    )
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    bad_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    unknown_columns = models.JSONField(
        _("columns not understood"),
        default=list,
        blank=True,
        help_text=_(
            "Columns with data under a header that is not understood: header, column "
            "letter and filled cells. Importing without them must be confirmed."
        ),
    )
    skipped_rows = models.PositiveIntegerField(
        _("rows skipped"), default=0, help_text=_("Rows with only 序号, and the footer.")
    )
    failure = models.TextField(_("reason for failure"), blank=True)
    created_count = models.PositiveIntegerField(_("cadres created"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="importjob_processed_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("ledger:job", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING
