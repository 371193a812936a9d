"""Writes of 特困帮扶 cases: open (draft), edit the draft, submit, the unit's review, the
bureau's approval or refusal, the payment and closing, and supporting documents.

Each step checks the user's role, unit and the case's status (``steps.py``), fills the
step's fields with its time and user, validates the whole row, and saves it in one
transaction; the case's history (django-simple-history) keeps every step. The database
refuses a status whose fields are missing, so no step can be skipped even by a bug.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import scope_queryset
from cadres.models import Cadre, CadreStatus
from funds.models import ExpenseSource
from funds.services import expense_record

from .models import AssistanceCase, AssistanceDocument, Status
from .steps import STEP_FROM, Step, in_units, may_add_documents, may_take

# Files a unit may attach: documents and scans.
DOCUMENT_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx"}
DOCUMENT_MAX_MB = 10


def _save(case: AssistanceCase, by: User, reason: str) -> AssistanceCase:
    case.full_clean()
    case._history_user = by
    case._change_reason = reason
    case.save()
    return case


def _require(user: User, step: str, case: AssistanceCase) -> None:
    """Refuse a step the user's role may not take (PermissionDenied), on a case outside
    their units (PermissionDenied), or that the case is not ready for (ValidationError)."""
    if not may_take(user, step) or not in_units(user, case):
        raise PermissionDenied
    if case.status != STEP_FROM[step]:
        raise ValidationError(
            _("This step cannot be taken now: the case is %(status)s.")
            % {"status": case.get_status_display()}
        )


def _positive(amount: Decimal | None, field: str) -> None:
    if amount is None or amount <= 0:
        raise ValidationError({field: _("Enter an amount greater than zero.")})


@transaction.atomic
def assistance_case_open(
    *,
    user: User,
    cadre: Cadre,
    category: str,
    circumstances: str,
    amount_requested: Decimal,
) -> AssistanceCase:
    """Draft a case for a cadre of the user's units (the case belongs to the cadre's
    unit). A cadre transferred out is refused; a deceased cadre's case (funeral help for
    the family) is allowed."""
    if not may_take(user, Step.SUBMIT):
        raise PermissionDenied
    if not scope_queryset(
        Cadre.objects.filter(pk=cadre.pk), user=user, unit_path="unit", cadre_path=""
    ).exists():
        raise PermissionDenied
    if cadre.status == CadreStatus.TRANSFERRED:
        raise ValidationError(
            {"cadre": _("%(name)s has been transferred out.") % {"name": cadre.name}}
        )
    _positive(amount_requested, "amount_requested")
    case = AssistanceCase(
        cadre=cadre,
        unit_id=cadre.unit_id,
        category=category,
        circumstances=circumstances.strip(),
        amount_requested=amount_requested,
        created_by=user,
    )
    return _save(case, user, _("Drafted"))


@transaction.atomic
def assistance_case_update(
    *,
    case: AssistanceCase,
    user: User,
    category: str,
    circumstances: str,
    amount_requested: Decimal,
) -> AssistanceCase:
    """Change a draft (once submitted, the application is what it is)."""
    _require(user, Step.SUBMIT, case)
    _positive(amount_requested, "amount_requested")
    case.category = category
    case.circumstances = circumstances.strip()
    case.amount_requested = amount_requested
    return _save(case, user, _("Draft changed"))


@transaction.atomic
def assistance_case_submit(*, case: AssistanceCase, user: User) -> AssistanceCase:
    """Submit the application: from now on the unit's review is due."""
    _require(user, Step.SUBMIT, case)
    case.status = Status.SUBMITTED
    case.submitted_at = timezone.now()
    case.submitted_by = user
    return _save(case, user, _("Submitted"))


@transaction.atomic
def assistance_case_review(*, case: AssistanceCase, user: User, opinion: str) -> AssistanceCase:
    """The unit's review: its opinion, by unit staff other than the drafter."""
    _require(user, Step.REVIEW, case)
    if case.created_by_id == user.pk:
        raise ValidationError(
            _("The case must be reviewed by a colleague: you drafted it yourself.")
        )
    if not opinion.strip():
        raise ValidationError({"review_opinion": _("Write the unit's opinion.")})
    case.status = Status.REVIEWED
    case.review_opinion = opinion.strip()
    case.reviewed_at = timezone.now()
    case.reviewed_by = user
    return _save(case, user, _("Reviewed by the unit"))


@transaction.atomic
def assistance_case_approve(
    *, case: AssistanceCase, user: User, amount_approved: Decimal, note: str = ""
) -> AssistanceCase:
    """The bureau approves an amount, at most the amount requested."""
    _require(user, Step.DECIDE, case)
    _positive(amount_approved, "amount_approved")
    if amount_approved > case.amount_requested:
        raise ValidationError(
            {"amount_approved": _("The amount approved cannot exceed the amount requested.")}
        )
    case.status = Status.APPROVED
    case.amount_approved = amount_approved
    case.decision_note = note.strip()
    case.decided_at = timezone.now()
    case.decided_by = user
    return _save(case, user, _("Approved"))


@transaction.atomic
def assistance_case_refuse(*, case: AssistanceCase, user: User, reason: str) -> AssistanceCase:
    """The bureau refuses the application, giving its reason."""
    _require(user, Step.DECIDE, case)
    if not reason.strip():
        raise ValidationError({"refusal_reason": _("Give the reason for refusing.")})
    case.status = Status.REFUSED
    case.refusal_reason = reason.strip()
    case.decided_at = timezone.now()
    case.decided_by = user
    return _save(case, user, _("Refused"))


@transaction.atomic
def assistance_case_pay(
    *,
    case: AssistanceCase,
    user: User,
    paid_on: datetime.date,
    amount: Decimal,
    method: str,
    overspend_reason: str = "",
) -> AssistanceCase:
    """Record the payment (date, amount — at most the amount approved —, method) and,
    in the same transaction, the expense on the case's unit's 帮扶 budget line (funds).
    Past the line's remaining money the payment is refused, unless the bureau gives
    the reason for overspending."""
    _require(user, Step.PAY, case)
    _positive(amount, "amount_paid")
    if amount > case.amount_approved:
        raise ValidationError(
            {"amount_paid": _("The amount paid cannot exceed the amount approved.")}
        )
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if paid_on < timezone.localdate(case.decided_at):
        raise ValidationError({"paid_on": _("The payment date cannot be before the approval.")})
    try:
        expense = expense_record(
            user=user,
            unit=case.unit,
            line_code=ExpenseSource.ASSISTANCE,
            spent_on=paid_on,
            amount=amount,
            payee=case.cadre.name,
            note=_("Hardship assistance %(reference)s") % {"reference": case.reference},
            source=ExpenseSource.ASSISTANCE,
            overspend_reason=overspend_reason,
        )
    except ValidationError as error:
        raise ValidationError(_expense_errors(error)) from error
    case.expense = expense
    case.status = Status.PAID
    case.paid_on = paid_on
    case.amount_paid = amount
    case.payment_method = method
    case.paid_at = timezone.now()
    case.paid_by = user
    return _save(case, user, _("Paid"))


# The expense's fields as the payment form names them.
EXPENSE_FIELDS = {"amount": "amount_paid", "spent_on": "paid_on"}


def _expense_errors(error: ValidationError):
    if not hasattr(error, "error_dict"):
        return error.messages
    return {
        EXPENSE_FIELDS.get(name, name): problems for name, problems in error.message_dict.items()
    }


@transaction.atomic
def assistance_case_close(*, case: AssistanceCase, user: User) -> AssistanceCase:
    """Close a paid case (the help has reached the cadre; nothing more is to be done)."""
    _require(user, Step.CLOSE, case)
    case.status = Status.CLOSED
    case.closed_at = timezone.now()
    case.closed_by = user
    return _save(case, user, _("Closed"))


@transaction.atomic
def assistance_document_add(
    *, case: AssistanceCase, user: User, file: UploadedFile, description: str = ""
) -> AssistanceDocument:
    """Attach a supporting document (until the case is closed). Only document and image
    files of at most ``ASSISTANCE_DOCUMENT_MAX_MB`` are kept; the stored name is random."""
    if not may_add_documents(user, case):
        raise PermissionDenied
    name = Path(file.name or "").name[:200]
    if Path(name).suffix.lower() not in DOCUMENT_SUFFIXES:
        raise ValidationError({"file": _("Attach a PDF, an image, or a Word or Excel file.")})
    limit = getattr(settings, "ASSISTANCE_DOCUMENT_MAX_MB", DOCUMENT_MAX_MB)
    if file.size > limit * 1024 * 1024:
        raise ValidationError({"file": _("The file is larger than %(mb)s MB.") % {"mb": limit}})
    document = AssistanceDocument(
        case=case,
        original_name=name,
        description=description.strip(),
        size=file.size,
        uploaded_by=user,
    )
    document.file.save(name, file, save=False)
    document.full_clean()
    document._history_user = user
    document.save()
    # Django has no rollback hook: should the transaction fail after this, the file
    # stays on the private disk as an orphan that no row points to and no URL serves.
    return document
