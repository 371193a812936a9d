"""Writes to visits (走访慰问): recording a visit (one cadre or a whole group event),
planning the follow-up a visit asks for, completing, rescheduling, cancelling and
correcting a visit, and the rules every new visit obeys (none for a cadre who has died or
been transferred out; 思想动态 written only by those who may read it). Each service
validates the visit, runs in one transaction and leaves one history entry with its
reason."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import can_read_thoughts

from .models import Cadre, CadreStatus, Visit

# The history keeps a change's reason in 100 characters.
HISTORY_REASON_LENGTH = 100
CONDOLENCE = "condolence"
RETURN_VISIT = "return_visit"


def _reason(text: str) -> str:
    return Truncator(text).chars(HISTORY_REASON_LENGTH)


def _save_visit(
    visit: Visit, by: User, *, reason: str, visitors: Iterable[User] | None = None
) -> Visit:
    """Validate and save a visit as one history entry carrying ``reason``; its visiting
    staff are replaced when ``visitors`` is given."""
    visit.full_clean()
    visit._history_user = by
    visit._change_reason = _reason(reason)
    created = visit.pk is None
    if visitors is not None and not created:
        # Before the save, so that the save's history entry holds the new visitors
        # (the change of visitors itself would be an entry of its own).
        _set_visitors(visit, visitors)
    visit.save()
    if visitors is not None and created:
        _set_visitors(visit, visitors)
    return visit


def _set_visitors(visit: Visit, visitors: Iterable[User]) -> None:
    visit.skip_history_when_saving = True
    try:
        visit.visitors.set(list(visitors))
    finally:
        del visit.skip_history_when_saving


def new_visit_refusal(*, cadre: Cadre) -> str:
    """Why no new visit may be recorded for ``cadre`` ("" when one may): a cadre who has
    died or been transferred out gets none, while the visits already planned for them
    stay completable (the condolence visit is for the family)."""
    if cadre.status == CadreStatus.DECEASED:
        return _(
            "This cadre has died: no new visit can be recorded; "
            "planned visits can still be completed."
        )
    if cadre.status == CadreStatus.TRANSFERRED:
        return _(
            "This cadre has been transferred out: no new visit can be recorded; "
            "planned visits can still be completed."
        )
    return ""


def _refuse_new_visit(cadre: Cadre) -> None:
    message = new_visit_refusal(cadre=cadre)
    if message:
        raise ValidationError({"cadre": message}, code="not_on_register")


def _refuse_thoughts(*, cadre: Cadre, by: User, fields: dict, changing: bool = False) -> None:
    """思想动态 is written only by those who may read it (``can_read_thoughts``)."""
    touched = "thoughts" in fields if changing else bool(fields.get("thoughts"))
    if touched and not can_read_thoughts(user=by, cadre=cadre):
        raise ValidationError(
            {"thoughts": _("Only bureau staff and the cadre's liaison write this note.")}
        )


def _visit_create(
    *, by: User, cadre: Cadre, visitors: Iterable[User] = (), reason: str, **fields: Any
) -> Visit:
    _refuse_thoughts(cadre=cadre, by=by, fields=fields)
    visit = Visit(cadre=cadre, recorded_by=by, **fields)
    people = list(visitors)
    if not people and visit.status == Visit.Status.DONE:
        people = [by]
    return _save_visit(visit, by, reason=reason, visitors=people)


@transaction.atomic
def visit_record(*, by: User, cadre: Cadre, visitors: Iterable[User] = (), **fields: Any) -> Visit:
    """Record a visit (done, or planned with a due date) with its visiting staff (the
    recorder when none is named for a done visit). A done visit that needs a follow-up
    by a date plans the follow-up. A cadre who has died or been transferred out gets
    no new visit: ``ValidationError`` on ``cadre``."""
    _refuse_new_visit(cadre)
    status = fields.get("status", Visit.Status.DONE)
    reason = _("Visit planned") if status == Visit.Status.PLANNED else _("Visit recorded")
    visit = _visit_create(by=by, cadre=cadre, visitors=visitors, reason=reason, **fields)
    _plan_follow_up(visit=visit, by=by)
    return visit


def _plan_follow_up(*, visit: Visit, by: User) -> Visit | None:
    """The follow-up a done visit asks for (跟进, by ``follow_up_by``) as a planned visit
    of the same occasion: planned once, moved when the date changes, cancelled when the
    visit no longer asks for it. Once a follow-up is done, a further one is asked for
    by completing that follow-up."""
    if visit.status != Visit.Status.DONE or visit.cadre.status == CadreStatus.TRANSFERRED:
        return None
    follow_ups = list(visit.follow_ups.exclude(status=Visit.Status.CANCELLED))
    open_follow_up = next((f for f in follow_ups if f.status == Visit.Status.PLANNED), None)
    if not (visit.follow_up_needed and visit.follow_up_by):
        if open_follow_up is not None:
            visit_cancel(
                visit=open_follow_up,
                by=by,
                reason=_("The visit it follows no longer asks for a follow-up."),
            )
        return None
    if open_follow_up is not None:
        if open_follow_up.due_on != visit.follow_up_by:
            reason = _("Follow-up date changed from %(old)s to %(new)s") % {
                "old": open_follow_up.due_on,
                "new": visit.follow_up_by,
            }
            open_follow_up.due_on = visit.follow_up_by
            _save_visit(open_follow_up, by, reason=reason)
        return open_follow_up
    if follow_ups:  # done already
        return None
    return _visit_create(
        by=by,
        cadre=visit.cadre,
        reason=_("Follow-up planned for the visit of %(date)s") % {"date": visit.visited_on},
        occasion=visit.occasion,
        status=Visit.Status.PLANNED,
        due_on=visit.follow_up_by,
        mode=visit.mode,
        follow_up_of=visit,
    )


def _claim_planned(visit: Visit, message: str) -> None:
    """Refuse a change that only a planned visit may take, also when someone else has
    just completed or cancelled it: the conditional UPDATE lets one of two concurrent
    requests through, on PostgreSQL and on SQLite alike."""
    claimed = (
        visit.status == Visit.Status.PLANNED
        and Visit.objects.filter(pk=visit.pk, status=Visit.Status.PLANNED).update(
            updated_at=timezone.now()
        )
        == 1
    )
    if not claimed:
        raise ValidationError(message, code="not_planned")


@transaction.atomic
def visit_complete(
    *,
    visit: Visit,
    by: User,
    visited_on: datetime.date,
    visitors: Iterable[User] = (),
    **fields: Any,
) -> Visit:
    """Complete a planned visit with what recording a visit asks (date, mode, visiting
    staff — the user when none is named —, leaders, money, gifts, notes, follow-up).
    Planned visits of a cadre who has since died or been transferred stay completable.
    A follow-up asked for by a date is planned. Anything but a planned visit:
    ``ValidationError``."""
    _claim_planned(visit, _("Only a planned visit can be completed."))
    _refuse_thoughts(cadre=visit.cadre, by=by, fields=fields)
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.status = Visit.Status.DONE
    visit.visited_on = visited_on
    _save_visit(visit, by, reason=_("Planned visit completed"), visitors=list(visitors) or [by])
    _plan_follow_up(visit=visit, by=by)
    return visit


@transaction.atomic
def visit_reschedule(*, visit: Visit, by: User, due_on: datetime.date, reason: str) -> Visit:
    """Move a planned visit to a new due date, for a reason kept in its history."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Give the reason for the new date.")]
    if due_on < timezone.localdate():
        errors["due_on"] = [_("The new due date is in the past.")]
    elif due_on == visit.due_on:
        errors["due_on"] = [_("This is the due date already.")]
    if errors:
        raise ValidationError(errors)
    _claim_planned(visit, _("Only a planned visit can be rescheduled."))
    history_reason = _("Rescheduled from %(old)s to %(new)s: %(reason)s") % {
        "old": visit.due_on,
        "new": due_on,
        "reason": reason,
    }
    visit.due_on = due_on
    return _save_visit(visit, by, reason=history_reason)


@transaction.atomic
def visit_cancel(*, visit: Visit, by: User, reason: str) -> Visit:
    """Cancel a planned visit, for a reason (required) kept on the visit and in its
    history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for cancelling.")]})
    _claim_planned(visit, _("Only a planned visit can be cancelled."))
    visit.status = Visit.Status.CANCELLED
    visit.cancellation_reason = reason
    return _save_visit(visit, by, reason=_("Cancelled: %(reason)s") % {"reason": reason})


@transaction.atomic
def visit_update(
    *, visit: Visit, by: User, visitors: Iterable[User] | None = None, **fields: Any
) -> Visit:
    """Correct a visit's record (not its status: that changes by completing or
    cancelling it). A done visit's follow-up follows its 跟进 fields: planned, moved or
    cancelled."""
    if "status" in fields or "cadre" in fields:
        raise ValueError("a visit's status and cadre are not edited")
    _refuse_thoughts(cadre=visit.cadre, by=by, fields=fields, changing=True)
    for name, value in fields.items():
        setattr(visit, name, value)
    _save_visit(visit, by, reason=_("Visit record corrected"), visitors=visitors)
    _plan_follow_up(visit=visit, by=by)
    return visit


@transaction.atomic
def visits_record_group(*, by: User, cadres: Iterable[Cadre], **fields: Any) -> list[Visit]:
    """One group event (a festival gathering, a group call) recorded as a visit to each
    cadre who took part; all or nothing."""
    fields.setdefault("mode", Visit.Mode.GROUP)
    return [visit_record(by=by, cadre=cadre, **fields) for cadre in cadres]
