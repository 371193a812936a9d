"""Who may take which step of a 特困帮扶 case, and which step a case waits for.

- draft, edit a draft, submit: those who record for the case's unit (unit staff of the
  unit or a unit above it) and the bureau (bureau staff, administrators);
- review (the unit's opinion): unit staff of the case's unit only, and never the user
  who drafted the case (four eyes: the one who writes the application does not also
  vouch for it; a case the bureau drafted is reviewed by any of the unit's staff);
- approve or refuse, record the payment, close: the bureau only;
- branch secretaries read the cases of their branches' members and take no step.

Pages and services both ask these questions; the services are the ones that refuse.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.scoping import UNRESTRICTED_ROLES, can_edit_registry, visible_unit_ids

from .models import AssistanceCase, Status


class Step:
    SUBMIT = "submit"
    REVIEW = "review"
    DECIDE = "decide"
    PAY = "pay"
    CLOSE = "close"


# The status a step starts from.
STEP_FROM = {
    Step.SUBMIT: Status.DRAFT,
    Step.REVIEW: Status.SUBMITTED,
    Step.DECIDE: Status.REVIEWED,
    Step.PAY: Status.APPROVED,
    Step.CLOSE: Status.PAID,
}
# The step a case in this status waits for.
NEXT_STEP = {status: step for step, status in STEP_FROM.items()}
STEP_LABELS = {
    Step.SUBMIT: _("Submit"),
    Step.REVIEW: _("Review"),
    Step.DECIDE: _("Approve or refuse"),
    Step.PAY: _("Record the payment"),
    Step.CLOSE: _("Close the case"),
}
# Who acts next, as shown on the pending list.
STEP_ACTORS = {
    Step.SUBMIT: _("The unit"),
    Step.REVIEW: _("The unit"),
    Step.DECIDE: _("The bureau"),
    Step.PAY: _("The bureau"),
    Step.CLOSE: _("The bureau"),
}


def is_bureau(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in UNRESTRICTED_ROLES)


def is_unit_staff(user: User) -> bool:
    return user.is_active and not user.is_superuser and user.role == User.Role.UNIT_STAFF


def may_take(user: User, step: str) -> bool:
    """Whether the user's role may ever take ``step`` (regardless of the case)."""
    if step in (Step.DECIDE, Step.PAY, Step.CLOSE):
        return is_bureau(user)
    if step == Step.REVIEW:
        return is_unit_staff(user)
    return can_edit_registry(user=user)


def in_units(user: User, case: AssistanceCase) -> bool:
    units = visible_unit_ids(user=user)
    return units is None or case.unit_id in units


def may_take_on(user: User, step: str, case: AssistanceCase) -> bool:
    """Whether the user may take ``step`` on this case now: role, unit, status and, for
    the review, not the drafter."""
    if case.status != STEP_FROM[step] or not may_take(user, step):
        return False
    if not in_units(user, case):
        return False
    return not (step == Step.REVIEW and case.created_by_id == user.pk)


def may_edit(user: User, case: AssistanceCase) -> bool:
    return case.status == Status.DRAFT and may_take(user, Step.SUBMIT) and in_units(user, case)


def may_add_documents(user: User, case: AssistanceCase) -> bool:
    return case.status != Status.CLOSED and can_edit_registry(user=user) and in_units(user, case)
