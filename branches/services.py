"""Writes to party branches. Each service validates in full, runs in one transaction and
leaves an entry in the record's history (django-simple-history)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import BranchAide, BranchMeeting, BranchRole, PartyBranch

MEETING_FIELDS = frozenset({"kind", "held_on", "topic", "place", "speaker", "notes"})


@transaction.atomic
def branch_meeting_record(
    *, branch: PartyBranch, attendee_ids: Iterable[int], user: User, **fields: Any
) -> BranchMeeting:
    """Record a meeting (三会一课 or 主题党日) of the branch and who attended it.

    Raises ``ValidationError`` for a bad field, a date in the future, or an attendee who
    is not a current member of the branch."""
    if not branch.is_active:
        raise ValidationError(_("This branch is no longer active."))
    meeting = BranchMeeting(branch=branch)
    return _save_meeting(meeting, fields=fields, attendee_ids=attendee_ids, user=user)


@transaction.atomic
def branch_meeting_update(
    *, meeting: BranchMeeting, attendee_ids: Iterable[int], user: User, **fields: Any
) -> BranchMeeting:
    """Change a recorded meeting and its attendance. Those already recorded as present
    may stay ticked even if they have left the branch since; anyone newly ticked must
    be a current member."""
    return _save_meeting(meeting, fields=fields, attendee_ids=attendee_ids, user=user)


def _save_meeting(
    meeting: BranchMeeting, *, fields: dict[str, Any], attendee_ids: Iterable[int], user: User
) -> BranchMeeting:
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"Unexpected meeting fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(meeting, name, value)
    errors: dict[str, list] = {}
    try:
        meeting.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if meeting.held_on and meeting.held_on > timezone.localdate():
        errors.setdefault("held_on", []).append(
            _("A meeting is recorded once it has been held; this date is in the future.")
        )
    attendees = {int(pk) for pk in attendee_ids}
    allowed = set(
        BranchRole.objects.filter(branch=meeting.branch, ended_on__isnull=True).values_list(
            "cadre_id", flat=True
        )
    )
    if meeting.pk:
        allowed |= set(meeting.attendees.values_list("pk", flat=True))
    if attendees - allowed:
        errors.setdefault("attendees", []).append(
            _("Only current members of the branch can be ticked as present.")
        )
    if errors:
        raise ValidationError(errors)
    meeting._history_user = user
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def branch_aide_add(
    *,
    branch: PartyBranch,
    user: User,
    started_on: datetime.date,
    note: str = "",
    by: User,
) -> BranchAide:
    """Assign a serving staff member to help the branch (在职干部协助) from a date."""
    if not branch.is_active:
        raise ValidationError(_("This branch is no longer active."))
    aide = BranchAide(branch=branch, user=user, started_on=started_on, note=note.strip())
    aide.full_clean()
    aide._history_user = by
    aide.save()
    return aide


@transaction.atomic
def branch_aide_end(*, aide: BranchAide, ended_on: datetime.date, by: User) -> BranchAide:
    """End a staff member's help to the branch on a date. The row stays (records are
    never deleted): the branch page lists it among the earlier aides."""
    if aide.ended_on is not None:
        raise ValidationError(_("This staff member no longer helps the branch."))
    aide.ended_on = ended_on
    aide.full_clean()
    aide._history_user = by
    aide.save()
    return aide
