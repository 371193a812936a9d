"""Reads of the reminders app's digests: a digest's items and the staff member's
reminders page (worked out live) grouped into sections by kind in a fixed order, the
delivery log, and the items sent about a cadre. The holiday campaign and the calendar
feed are read in ``campaign_selectors`` and ``feed_selectors``; how an item reads, in
``item_text``."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import User
from accounts.scoping import scope_queryset
from cadres.pinyin import pinyin_sort_key

from .item_text import item_text, item_url
from .models import Digest, ReminderItem, ReminderKind
from .rules import due_items_by_recipient
from .visit_rules import VISIT_KINDS

KIND_ORDER = [
    # Work already planned comes first, the condolence visit at its head.
    ReminderKind.PLANNED_VISIT,
    ReminderKind.HOSPITAL_VISIT,
    ReminderKind.FOLLOW_UP_VISIT,
    ReminderKind.RETURN_VISIT,
    ReminderKind.HOLIDAY_VISIT,
    ReminderKind.BIRTHDAY,
    ReminderKind.POLITICAL_BIRTHDAY,
    ReminderKind.OVERDUE_VISIT,
    ReminderKind.CARE_NEED_OVERDUE,
    ReminderKind.BRANCH_TERM_ENDING,
    ReminderKind.ASSISTANCE_STEP,
    ReminderKind.CHECKUP_PENDING,
]


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
                "name_order": pinyin_sort_key(details.get("name", "")),
                "url": item_url(kind, details, link),
                # The condolence visit heads its section.
                "first": bool(details.get("condolence")),
            }
        )
    return [
        {
            "kind": kind,
            "label": labels[kind],
            "items": sorted(grouped[kind], key=_by_date),
            # Planned visits are worked through on the to-do list (待办走访).
            "list_url": reverse("cadres:visit_todo") if kind in VISIT_KINDS else "",
        }
        for kind in KIND_ORDER
        if kind in grouped
    ]


def _by_date(entry: dict):
    """The condolence visit first, then by date; on one day, names in pinyin order."""
    return (not entry["first"], entry["occurrence"], entry["name_order"], entry["text"])


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
