"""Writes to activities, teams, honours and suggestions. Each service validates the
records in full, runs in one transaction and leaves an entry in their history
(django-simple-history) under the user who made the change."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.punctuation import colon
from accounts.scoping import can_edit_registry
from cadres.models import Cadre

from .models import Activity, Attendance, Honour, Suggestion, Team, TeamMembership
from .selectors import attendance_editable_cadre_ids

Record = TypeVar("Record", bound=models.Model)


def _save(record: Record, user: User) -> Record:
    record.full_clean()
    record._history_user = user
    record.save()
    return record


@transaction.atomic
def activity_create(*, user: User, **fields: Any) -> Activity:
    """Plan an activity (date, place, organiser, kind, the unit and team behind it)."""
    return _save(Activity(**fields), user)


@transaction.atomic
def activity_update(*, activity: Activity, user: User, **fields: Any) -> Activity:
    """Change the given fields of an activity (its outcome, once it has taken place)."""
    for name, value in fields.items():
        setattr(activity, name, value)
    return _save(activity, user)


class AttendanceRow(TypedDict):
    cadre: Cadre
    attended: bool
    volunteer_hours: Decimal


@transaction.atomic
def activity_attendance_record(
    *, activity: Activity, rows: Iterable[AttendanceRow], user: User
) -> list[Attendance]:
    """Check-in: record who of the given cadres attended, with their volunteer hours;
    a cadre not yet on the activity's list is added to it.

    Someone not ticked is *absent* once the activity has begun and still *registered*
    before it. Hours count only for those who attended. Only the user's own cadres may
    be recorded: a row of another unit's cadre (listed on an activity of the user's
    unit) is refused, whatever the form let through. Every row is validated before any
    is written, so bad input saves nothing; a row that did not change is not written
    again (its history stays clean). Returns the rows written.
    """
    if not can_edit_registry(user=user):
        raise PermissionDenied
    rows = list(rows)
    own = attendance_editable_cadre_ids(user=user, cadre_ids={row["cadre"].pk for row in rows})
    has_begun = activity.starts_at <= timezone.now()
    existing = {
        attendance.cadre_id: attendance
        for attendance in Attendance.objects.select_for_update().filter(activity=activity)
    }
    changed: list[Attendance] = []
    problems: list[str] = []
    for row in rows:
        cadre = row["cadre"]
        if cadre.pk not in own:
            problems.append(
                _("%(name)s is not one of your cadres: their own unit records their attendance.")
                % {"name": cadre.name}
            )
            continue
        attendance = existing.get(cadre.pk) or Attendance(activity=activity, cadre=cadre)
        before = (attendance.status, attendance.volunteer_hours)
        if row["attended"]:
            attendance.status = Attendance.Status.ATTENDED
            attendance.volunteer_hours = row.get("volunteer_hours") or Decimal(0)
        else:
            attendance.status = (
                Attendance.Status.ABSENT if has_begun else Attendance.Status.REGISTERED
            )
            attendance.volunteer_hours = Decimal(0)
        if attendance.pk and before == (attendance.status, attendance.volunteer_hours):
            continue
        try:
            attendance.full_clean()
        except ValidationError as error:
            problems.extend(f"{cadre.name}{colon()}{message}" for message in error.messages)
            continue
        existing[cadre.pk] = attendance
        changed.append(attendance)
    if problems:
        raise ValidationError(problems)
    for attendance in changed:
        attendance._history_user = user
        attendance.save()
    return changed


@transaction.atomic
def team_membership_add(
    *,
    team: Team,
    cadre: Cadre,
    user: User,
    is_leader: bool = False,
    joined_on: datetime.date | None = None,
) -> TeamMembership:
    """Add a cadre to a team (optionally as its leader)."""
    return _save(
        TeamMembership(team=team, cadre=cadre, is_leader=is_leader, joined_on=joined_on), user
    )


@transaction.atomic
def team_membership_end(*, membership: TeamMembership, user: User) -> None:
    """A cadre leaves a team. The membership row goes; its history keeps who was a
    member until when, and who recorded the change."""
    membership._history_user = user
    membership.delete()


@transaction.atomic
def honour_record(*, user: User, **fields: Any) -> Honour:
    """Record an honour awarded to exactly one of a cadre, a branch or a team."""
    return _save(Honour(**fields), user)


@transaction.atomic
def suggestion_record(*, user: User, **fields: Any) -> Suggestion:
    """Record a cadre's suggestion (建言献策) as received."""
    fields.setdefault("status", Suggestion.Status.RECEIVED)
    return _save(Suggestion(**fields), user)


@transaction.atomic
def suggestion_answer(
    *,
    suggestion: Suggestion,
    user: User,
    status: str,
    forwarded_to: str = "",
    forwarded_on: datetime.date | None = None,
    response: str = "",
) -> Suggestion:
    """Move a suggestion on: forwarded (to whom, when) and answered (the response that
    goes back to the cadre)."""
    suggestion.status = status
    suggestion.forwarded_to = forwarded_to
    suggestion.forwarded_on = forwarded_on
    suggestion.response = response
    return _save(suggestion, user)
