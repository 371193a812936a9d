"""特困帮扶: a case of assistance for a cadre in special hardship, from the unit's
application to the bureau's payment, and the documents that support it.

The workflow is linear — drafted → submitted → reviewed (the unit's opinion) → approved
or refused (the bureau) → paid → closed — and each state carries exactly the fields of
the steps taken so far: the database refuses a row whose fields do not match its status
(a payment without an approval, an approval without a review).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


@deconstructible
class PrivateDocumentStorage(FileSystemStorage):
    """Supporting documents on disk under ``PRIVATE_FILES_ROOT/assistance``, which no
    URL serves: a document is read only through the scoped download view. The location
    is read from the settings each time, so tests (and a deployment's settings) may move
    it."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(Path(settings.PRIVATE_FILES_ROOT) / "assistance")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Assistance documents have no public URL.")


private_documents = PrivateDocumentStorage()


def document_path(instance: AssistanceDocument, filename: str) -> str:
    """A random name (the original is kept in ``original_name``), by case."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{suffix}"


class Category(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    LIVING = "living", _("Living")
    HOUSING = "housing", _("Housing")
    FUNERAL = "funeral", _("Funeral")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed by the unit")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank", _("Bank transfer")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


# The statuses a case has reached each step in (the fields of that step are filled).
SUBMITTED_OR_LATER = [
    Status.SUBMITTED,
    Status.REVIEWED,
    Status.APPROVED,
    Status.REFUSED,
    Status.PAID,
    Status.CLOSED,
]
REVIEWED_OR_LATER = [Status.REVIEWED, Status.APPROVED, Status.REFUSED, Status.PAID, Status.CLOSED]
DECIDED = [Status.APPROVED, Status.REFUSED, Status.PAID, Status.CLOSED]
APPROVED_OR_LATER = [Status.APPROVED, Status.PAID, Status.CLOSED]
PAID_OR_LATER = [Status.PAID, Status.CLOSED]
# Waiting for someone to act: the unit's review, the bureau's decision or payment.
PENDING = [Status.SUBMITTED, Status.REVIEWED, Status.APPROVED]


def _iff(statuses, filled: Q, name: str) -> models.CheckConstraint:
    """The step's fields are filled exactly when the case has reached ``statuses``."""
    reached = Q(status__in=statuses)
    return models.CheckConstraint(condition=(reached & filled) | (~reached & ~filled), name=name)


class AssistanceCase(models.Model):
    """特困帮扶: one application for help for a cadre in special hardship."""

    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="assistance_cases",
    )
    # The unit that opened the case (the cadre's unit then): it stays the case's unit
    # should the cadre move, so each unit answers for its own cases.
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="assistance_cases",
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    circumstances = models.TextField(_("circumstances"))
    amount_requested = models.DecimalField(
        _("amount requested (yuan)"), max_digits=10, decimal_places=2
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )

    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_opinion = models.TextField(_("the unit's opinion"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amount_approved = models.DecimalField(
        _("amount approved (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    decision_note = models.TextField(_("the bureau's note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    amount_paid = models.DecimalField(
        _("amount paid (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    payment_method = models.CharField(
        _("payment method"), max_length=12, choices=PaymentMethod.choices, blank=True
    )
    paid_at = models.DateTimeField(_("payment recorded at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payment recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The payment as spending of the unit's 帮扶 budget line (funds), recorded in the
    # same transaction as the payment step.
    expense = models.OneToOneField(
        "funds.Expense",
        verbose_name=_("expense"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance_case",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistance case")
        verbose_name_plural = _("assistance cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "unit"], name="assist_status_unit_idx"),
            models.Index(fields=["unit", "created_at"], name="assist_unit_created_idx"),
            models.Index(fields=["category", "created_at"], name="assist_category_created_idx"),
            models.Index(fields=["created_at"], name="assist_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="assist_requested_positive"
            ),
            _iff(
                SUBMITTED_OR_LATER,
                Q(submitted_at__isnull=False, submitted_by__isnull=False),
                "assist_submitted_iff_status",
            ),
            _iff(
                REVIEWED_OR_LATER,
                Q(reviewed_at__isnull=False, reviewed_by__isnull=False) & ~Q(review_opinion=""),
                "assist_reviewed_iff_status",
            ),
            # Four eyes: the unit's review is by someone other than the drafter.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("created_by")),
                name="assist_reviewer_not_drafter",
            ),
            _iff(
                DECIDED,
                Q(decided_at__isnull=False, decided_by__isnull=False),
                "assist_decided_iff_status",
            ),
            _iff(
                APPROVED_OR_LATER,
                Q(amount_approved__gt=0, amount_approved__lte=F("amount_requested")),
                "assist_approved_iff_status",
            ),
            _iff([Status.REFUSED], ~Q(refusal_reason=""), "assist_refused_iff_reason"),
            _iff(
                PAID_OR_LATER,
                Q(
                    paid_on__isnull=False,
                    paid_at__isnull=False,
                    paid_by__isnull=False,
                    expense__isnull=False,
                    amount_paid__gt=0,
                    amount_paid__lte=F("amount_approved"),
                )
                & ~Q(payment_method=""),
                "assist_paid_iff_status",
            ),
            _iff(
                [Status.CLOSED],
                Q(closed_at__isnull=False, closed_by__isnull=False),
                "assist_closed_iff_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.name} · {self.get_category_display()} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assistance:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The case number staff quote: 帮扶 + year + id."""
        return f"BF{self.created_at:%Y}-{self.pk:05d}" if self.created_at else ""

    @property
    def days_to_payment(self) -> int | None:
        """Days from the application (its submission) to the payment."""
        if self.submitted_at is None or self.paid_on is None:
            return None
        return (self.paid_on - timezone.localdate(self.submitted_at)).days


class AssistanceDocument(models.Model):
    """A supporting document of a case (a hospital bill, a certificate), stored
    privately and served only to those who may see the case."""

    case = models.ForeignKey(
        AssistanceCase,
        verbose_name=_("assistance case"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    file = models.FileField(
        _("file"), upload_to=document_path, storage=private_documents, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("assistance:document", args=[self.pk])
