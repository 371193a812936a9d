"""Reads of the reminders app: digest contents, the staff member's reminders page and
the delivery log."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.scoping import scope_queryset, visible_unit_ids

from .models import Digest, ReminderItem, ReminderKind
from .rules import (
    active_cadres,
    due_items_by_recipient,
    holiday_occurrence,
    holiday_visited_cadre_ids,
    in_holiday_audience,
)

KIND_ORDER = [
    ReminderKind.HOSPITAL_VISIT,
    ReminderKind.HOLIDAY_VISIT,
    ReminderKind.BIRTHDAY,
    ReminderKind.POLITICAL_BIRTHDAY,
    ReminderKind.OVERDUE_VISIT,
    ReminderKind.CARE_NEED_OVERDUE,
    ReminderKind.BRANCH_TERM_ENDING,
]


def item_text(kind: str, details: dict, occurrence: datetime.date) -> str:
    """One line of a digest or page, in the active language."""
    name = details.get("name", "")
    when = f"{occurrence.month}月{occurrence.day}日"
    if kind == ReminderKind.BIRTHDAY:
        calendar = _("lunar") if details.get("lunar") else _("solar")
        text = _("%(name)s turns %(age)s on %(date)s (%(calendar)s birthday)") % {
            "name": name,
            "age": details.get("age"),
            "date": when,
            "calendar": calendar,
        }
        return text + (_(" — milestone birthday") if details.get("milestone") else "")
    if kind == ReminderKind.POLITICAL_BIRTHDAY:
        text = _("%(name)s: %(years)s years in the Party on %(date)s") % {
            "name": name,
            "years": details.get("years"),
            "date": when,
        }
        return text + (_(" — honoured milestone") if details.get("milestone") else "")
    if kind == ReminderKind.HOLIDAY_VISIT:
        return _("%(name)s: not yet visited for %(holiday)s (%(date)s)") % {
            "name": name,
            "holiday": details.get("holiday"),
            "date": when,
        }
    if kind == ReminderKind.OVERDUE_VISIT:
        return _("%(name)s: no visit for %(days)s days") % {
            "name": name,
            "days": details.get("days"),
        }
    if kind == ReminderKind.HOSPITAL_VISIT:
        return _("%(name)s: in hospital, no visit for %(days)s days") % {
            "name": name,
            "days": details.get("days"),
        }
    if kind == ReminderKind.CARE_NEED_OVERDUE:
        return _("%(name)s: %(category)s need past its due date (%(date)s): %(text)s") % {
            "name": name,
            "category": details.get("category"),
            "date": when,
            "text": details.get("description", ""),
        }
    if kind == ReminderKind.BRANCH_TERM_ENDING:
        return _("%(branch)s: committee term ends on %(date)s, re-election due") % {
            "branch": details.get("branch"),
            "date": when,
        }
    return name


def _sections(entries: list[tuple[str, dict, datetime.date, object]]) -> list[dict]:
    labels = dict(ReminderKind.choices)
    grouped: dict[str, list[dict]] = {}
    for kind, details, occurrence, link in entries:
        grouped.setdefault(kind, []).append(
            {
                "text": item_text(kind, details, occurrence),
                "occurrence": occurrence,
                "milestone": bool(details.get("milestone")),
                "cadre_id": link,
            }
        )
    return [
        {"kind": kind, "label": labels[kind], "items": sorted(grouped[kind], key=_by_date)}
        for kind in KIND_ORDER
        if kind in grouped
    ]


def _by_date(entry: dict):
    return (entry["occurrence"], entry["text"])


def digest_sections(*, digest: Digest) -> list[dict]:
    """The digest's items grouped by kind, in a fixed order."""
    items = digest.items.values_list("kind", "details", "occurrence", "cadre_id")
    return _sections(list(items))


def upcoming_sections(*, user: User, today: datetime.date) -> list[dict]:
    """What is due for the user today and in the coming days, worked out live from the
    registry (so it includes what the morning digest could not yet know)."""
    plan = due_items_by_recipient(today, only_for=user)
    return _sections(
        [
            (item.kind, item.details, item.occurrence, item.cadre_id)
            for item in plan.get(user.pk, [])
        ]
    )


def digests_for(*, user: User) -> QuerySet[Digest]:
    """The delivery log: digests the user may see (their own; all of their scope's for
    bureau staff and administrators)."""
    queryset = Digest.objects.select_related("recipient", "recipient__unit")
    if user.role == User.Role.BRANCH_SECRETARY:
        return queryset.filter(recipient=user)
    # Unit staff see their colleagues' digests too, to cover for one another.
    return scope_queryset(queryset, user=user, unit_path="recipient__unit")


def items_for_cadre(*, cadre_id: int) -> QuerySet[ReminderItem]:
    """Was this cadre's reminder sent, and when?"""
    return (
        ReminderItem.objects.filter(cadre_id=cadre_id)
        .select_related("recipient", "digest")
        .order_by("-occurrence", "kind")
    )


def holiday_campaign(*, user: User, holiday, today: datetime.date) -> dict:
    """For a holiday (春节…): the cadres of its audience in the user's units, who has
    been visited for it, and progress per unit and per liaison."""
    occurrence = holiday_occurrence(holiday, today - datetime.timedelta(days=15))
    units = visible_unit_ids(user=user)
    cadres = active_cadres(None if units is None else Q(unit__in=units))
    audience = [c for c in cadres if occurrence and in_holiday_audience(holiday, c, occurrence)]
    visited = holiday_visited_cadre_ids(holiday, occurrence or today)
    unit_names = dict(Unit.objects.values_list("id", "name"))
    staff_names = {
        u.pk: u.display_name for u in User.objects.filter(pk__in={c.liaison_id for c in audience})
    }

    def progress(key, names):
        groups: dict = {}
        for cadre in audience:
            row = groups.setdefault(key(cadre), [0, 0])
            row[0] += 1
            row[1] += cadre.id in visited
        rows = [
            {
                "name": names.get(k, "—"),
                "total": total,
                "visited": seen,
                "percent": round(seen / total * 100),
            }
            for k, (total, seen) in groups.items()
        ]
        return sorted(rows, key=lambda row: (row["percent"], row["name"]))

    remaining = sorted(
        (c for c in audience if c.id not in visited),
        key=lambda c: (unit_names.get(c.unit_id, ""), c.name),
    )
    done = len(audience) - len(remaining)
    return {
        "holiday": holiday,
        "occurrence": occurrence,
        "audience": len(audience),
        "visited": done,
        "percent": round(done / len(audience) * 100) if audience else 100,
        "by_unit": progress(lambda c: c.unit_id, unit_names),
        "by_liaison": progress(lambda c: c.liaison_id, staff_names),
        "remaining": [
            {"id": c.id, "name": c.name, "unit": unit_names.get(c.unit_id, "")} for c in remaining
        ],
    }
