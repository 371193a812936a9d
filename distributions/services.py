"""Writes of the political treatment: distributions and their deliveries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.scoping import require_editor
from activities.models import Activity, Attendance
from branches.models import BranchMeeting, BranchRole, PartyBranch
from cadres.models import Cadre
from funds.services import expense_record

from .models import Delivery, Distribution
from .selectors import audience_cadres, distributions_editable_by, distributions_visible_to

DISTRIBUTION_FIELDS = (
    "kind",
    "title",
    "issue_number",
    "issued_on",
    "year",
    "unit",
    "audience",
    "min_age",
    "branch",
    "cost",
    "copies",
    "notes",
)


@transaction.atomic
def distribution_create(
    *,
    by: User,
    listed_cadres: Iterable[Cadre] = (),
    overspend_reason: str = "",
    **fields,
) -> Distribution:
    """Record a distribution (阅文, 通报, 简报, 报刊订阅, 学习资料) of one of the user's
    units. A subscription with a cost is spent from the unit's subscription budget line
    (refused with a ``ValidationError`` when it would overspend it)."""
    require_editor(user=by)
    distribution = Distribution(created_by=by, **_only_fields(fields))
    distribution.full_clean()
    distribution.save()
    if listed_cadres:
        distribution.listed_cadres.set(listed_cadres)
    _record_subscription_expense(
        by=by, distribution=distribution, overspend_reason=overspend_reason
    )
    return distribution


@transaction.atomic
def distribution_update(
    *, by: User, distribution: Distribution, overspend_reason: str = "", **fields
) -> Distribution:
    """Change a distribution. Once a subscription's expense is recorded, its cost, copies,
    unit and date stay as spent (the expense is corrected under funds)."""
    require_editor(user=by)
    if not distributions_editable_by(user=by).filter(pk=distribution.pk).exists():
        raise PermissionDenied
    for name, value in _only_fields(fields).items():
        setattr(distribution, name, value)
    distribution.full_clean()
    if distribution.expense_id:
        expense = distribution.expense
        if (
            _subscription_amount(distribution) != expense.amount
            or distribution.unit_id != expense.unit_id
            or distribution.issued_on != expense.spent_on
        ):
            raise ValidationError(
                {
                    "cost": _(
                        "The subscription's expense is already recorded: its cost, "
                        "copies, unit and date are corrected under funds."
                    )
                }
            )
    distribution.save()
    _record_subscription_expense(
        by=by, distribution=distribution, overspend_reason=overspend_reason
    )
    return distribution


def _subscription_amount(distribution: Distribution) -> Decimal | None:
    if distribution.kind != Distribution.Kind.SUBSCRIPTION or not distribution.cost:
        return None
    return (distribution.cost * (distribution.copies or 1)).quantize(Decimal("0.01"))


def _record_subscription_expense(
    *, by: User, distribution: Distribution, overspend_reason: str
) -> None:
    amount = _subscription_amount(distribution)
    if amount is None or distribution.expense_id:
        return
    distribution.expense = expense_record(
        user=by,
        unit=distribution.unit,
        line_code="subscription",
        spent_on=distribution.issued_on,
        amount=amount,
        payee=distribution.title,
        note=_("Subscription for %(year)s, %(copies)s copies")
        % {"year": distribution.year, "copies": distribution.copies or 1},
        source="subscription",
        overspend_reason=overspend_reason,
    )
    distribution.save(update_fields=["expense"])


def _only_fields(fields: dict) -> dict:
    unknown = set(fields) - set(DISTRIBUTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return fields


def _check_day(distribution: Distribution, day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"delivered_on": _("This date is in the future.")})
    if day < distribution.issued_on:
        raise ValidationError(
            {"delivered_on": _("This date is before the distribution was issued.")}
        )


@transaction.atomic
def deliveries_record(
    *,
    by: User,
    distribution: Distribution,
    cadre_ids: Iterable[int],
    way: str,
    delivered_on: datetime.date,
    notes: str = "",
    branch_meeting: BranchMeeting | None = None,
    activity: Activity | None = None,
) -> int:
    """Tick the distribution as delivered to these cadres. Only cadres of its audience
    whom the user may see are ticked; a cadre who already received it is left as they
    were (ticking twice makes one delivery). Returns how many deliveries were added."""
    require_editor(user=by)
    if not distributions_visible_to(user=by).filter(pk=distribution.pk).exists():
        raise PermissionDenied
    if way not in Delivery.Way.values:
        raise ValidationError({"way": _("Choose how it was delivered.")})
    _check_day(distribution, delivered_on)
    eligible = (
        audience_cadres(distribution=distribution, user=by)
        .filter(pk__in=list(cadre_ids))
        .exclude(distribution_deliveries__distribution=distribution)
        .values_list("pk", flat=True)
    )
    rows = [
        Delivery(
            distribution=distribution,
            cadre_id=pk,
            way=way,
            delivered_on=delivered_on,
            delivered_by=by,
            branch_meeting=branch_meeting,
            activity=activity,
            notes=notes,
        )
        for pk in eligible
    ]
    for row in rows[:1]:
        row.full_clean(exclude=["cadre", "distribution"], validate_unique=False)
    bulk_create_with_history(rows, Delivery, default_user=by)
    return len(rows)


def deliveries_record_for_branch(
    *,
    by: User,
    distribution: Distribution,
    branch: PartyBranch,
    way: str,
    delivered_on: datetime.date,
    notes: str = "",
) -> int:
    """Tick the distribution for every current member of a branch (in its audience)."""
    members = BranchRole.objects.filter(branch=branch, ended_on__isnull=True).values_list(
        "cadre_id", flat=True
    )
    return deliveries_record(
        by=by,
        distribution=distribution,
        cadre_ids=list(members),
        way=way,
        delivered_on=delivered_on,
        notes=notes,
    )


def deliveries_record_for_meeting(
    *, by: User, distribution: Distribution, meeting: BranchMeeting, notes: str = ""
) -> int:
    """Tick the distribution for those who attended a branch meeting (三会一课), as read
    out or handed out at it, on the meeting's day."""
    return deliveries_record(
        by=by,
        distribution=distribution,
        cadre_ids=list(meeting.attendees.values_list("pk", flat=True)),
        way=Delivery.Way.MEETING,
        delivered_on=meeting.held_on,
        notes=notes,
        branch_meeting=meeting,
    )


def deliveries_record_for_activity(
    *, by: User, distribution: Distribution, activity: Activity, notes: str = ""
) -> int:
    """Tick the distribution for those who attended an activity (a study session, a
    briefing), on its day."""
    attended = activity.attendances.filter(status=Attendance.Status.ATTENDED).values_list(
        "cadre_id", flat=True
    )
    return deliveries_record(
        by=by,
        distribution=distribution,
        cadre_ids=list(attended),
        way=Delivery.Way.MEETING,
        delivered_on=timezone.localdate(activity.starts_at),
        notes=notes,
        activity=activity,
    )


@transaction.atomic
def delivery_undo(*, by: User, delivery: Delivery) -> None:
    """Take back a delivery ticked by mistake (its history keeps the row)."""
    require_editor(user=by)
    delivery._history_user = by
    delivery.delete()
