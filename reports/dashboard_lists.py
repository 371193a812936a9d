"""The dashboard's lists — birthdays ahead, visits overdue, the next holiday's visits
still to make, care needs past due — read from the daily snapshot's entries less what a
visit or a change of record has settled since (a few indexed queries whatever the size
of the register), with their counts."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext, ngettext

from accounts.models import User
from accounts.scoping import scope_filter
from cadres.models import Cadre, CadreStatus, CareNeed, Visit
from cadres.pinyin import pinyin_sort_key
from reminders.care_need_rules import care_need_items
from reminders.holiday_rules import holiday_visit_window

from .models import DashboardEntry, DashboardSnapshot
from .services import PENDING_FIGURES

# As many as the other lists: the card scrolls, and the count says how many in all.
BIRTHDAYS_SHOWN = 30


# The rows' words and links are put together here rather than by a template tag per
# row: a province's lists are a hundred rows, each with a link and a sentence, and the
# tags cost more than the rest of the page.
def _overdue_label(days: int) -> str:
    return ngettext("%(days)s day overdue", "%(days)s days overdue", days) % {"days": days}


def _most_overdue_first(items, today: datetime.date, count: int) -> list:
    """The first ``count`` items by how long they have been due (``overdue_days``,
    added to their details), the longest first; then names in pinyin order."""
    items = sorted(
        items, key=lambda item: (item.occurrence, pinyin_sort_key(item.details["name"]))
    )[:count]
    cadre_url = Cadre.detail_urls()
    for item in items:
        days = (today - item.occurrence).days
        item.details["overdue_days"] = days
        item.details["overdue_label"] = _overdue_label(days)
        item.details["url"] = cadre_url(item.cadre_id)
    return items


class DashboardItem:
    """One row of a dashboard list, as the template reads it."""

    __slots__ = ("cadre_id", "details", "kind", "occurrence")

    def __init__(self, kind, cadre_id, occurrence, details):
        self.kind = kind
        self.cadre_id = cadre_id
        self.occurrence = occurrence
        self.details = details


# What a list reads of an entry, as plain rows (no model instance each).
ENTRY_FIELDS = ("kind", "cadre_id", "occurrence", "sort_name", "details")


def _items(rows, today: datetime.date, *, overdue: bool = False) -> list[DashboardItem]:
    """Rows of ``ENTRY_FIELDS`` as the dashboard shows them."""
    items = []
    cadre_url = Cadre.detail_urls()
    for kind, cadre_id, occurrence, _sort_name, details in rows:
        details["url"] = cadre_url(cadre_id)
        if overdue:
            # The snapshot may be of an earlier day: days counted to today.
            since = details.get("since") or details.get("last_visit")
            if since:
                details["days"] = (today - datetime.date.fromisoformat(since)).days
            details["days_label"] = gettext("no visit for %(days)s days") % {
                "days": details.get("days")
            }
            details["overdue_days"] = (today - occurrence).days
            details["overdue_label"] = _overdue_label(details["overdue_days"])
        elif "age" in details:
            details["age_label"] = gettext("%(age)s years old") % {"age": details["age"]}
        items.append(DashboardItem(kind, cadre_id, occurrence, details))
    return items


def _not_visited_since(cleared_from: str = "cleared_from", **visit) -> Exists:
    """A done visit of the entry's cadre on or after the entry's ``cleared_from``:
    recorded since the snapshot, it takes the cadre off the list at once."""
    return Exists(
        Visit.objects.filter(
            cadre=OuterRef("cadre_id"),
            status=Visit.Status.DONE,
            visited_on__gte=OuterRef(cleared_from),
            **visit,
        )
    )


# Past this many cadres changed since the snapshot (a day of mass entry), the open
# lists are counted live instead.
CHANGED_CADRES_MAX = 5000


def _changed_since(snapshot: DashboardSnapshot) -> set[int] | None:
    """Ids of the cadres who have had a visit done, or a change of record, since the
    snapshot was worked out: the only entries a visit or a status may have settled
    (read through the indexes on ``updated_at``: a few rows a day, not the register).
    ``None`` when there are too many to list."""
    since = snapshot.computed_at
    ids = set(
        Visit.objects.filter(updated_at__gte=since, status=Visit.Status.DONE)
        .order_by()
        .values_list("cadre_id", flat=True)[: CHANGED_CADRES_MAX + 1]
    )
    ids |= set(
        Cadre.objects.filter(updated_at__gte=since)
        .order_by()
        .values_list("pk", flat=True)[: CHANGED_CADRES_MAX + 1]
    )
    return ids if len(ids) <= CHANGED_CADRES_MAX else None


def _pending_count(*, stored: list, changed, kinds, live, settled: Exists) -> int:
    """How many entries of ``kinds`` are still open: the snapshot's count of the user's
    units less those a visit or a status change has settled since (``changed``: the
    user's entries of cadres changed since); counted live when the figures are not the
    snapshot's own (a branch secretary's) or too much has changed."""
    if changed is not None and stored and all(count is not None for count in stored):
        if changed.query.is_empty():  # nothing changed since: no query
            return sum(stored)
        off_list = Q(settled) | ~Q(cadre__status=CadreStatus.ON_REGISTER)
        return sum(stored) - changed.filter(kind__in=kinds).filter(off_list).count()
    return live.filter(kind__in=kinds).exclude(settled).count()


def _birthday_count(*, by_unit: dict, changed, birthdays, today, horizon) -> int:
    """Birthdays from ``today`` to ``horizon``: the snapshot's counts by day of the
    user's units less those of cadres who have left the register since; counted live
    for a branch secretary's few branches or when too much has changed."""
    stored = [figures.get("birthdays_by_day") for figures in by_unit.values()]
    if changed is None or not stored or any(days is None for days in stored):
        return birthdays.count()
    first, last = today.isoformat(), horizon.isoformat()
    total = sum(n for days in stored for day, n in days.items() if first <= day <= last)
    if changed.query.is_empty():
        return total
    return (
        total
        - changed.filter(
            kind=DashboardEntry.Kind.BIRTHDAY, occurrence__gte=today, occurrence__lte=horizon
        )
        .exclude(cadre__status=CadreStatus.ON_REGISTER)
        .count()
    )


def _first_by_date(queryset, kinds, count: int) -> list:
    """The first ``count`` entries of ``kinds`` by date and name: one index-ordered
    query per kind, merged (ordering two kinds at once would sort all their rows)."""
    rows = []
    for kind in kinds:
        rows += (
            queryset.filter(kind=kind)
            .order_by("occurrence", "sort_name")
            .values_list(*ENTRY_FIELDS)[:count]
        )
    return sorted(rows, key=lambda row: (row[2], row[3]))[:count]


def _needs_past_due(*, user: User, today: datetime.date) -> tuple[list, int]:
    """The 30 care needs past due longest (then names in pinyin order), and how many
    there are. Read from the needs' index by due date: the earliest due first, and only
    as far as the 30th one's date (the order among the same date is by name)."""
    need_filter = scope_filter(user=user, unit_path="cadre__unit", cadre_path="cadre")
    if need_filter:
        # A unit's needs past due are a few dozen: their keys and dates are read once
        # from the indexes alone, counted, and cut at the 30th one's date; only those
        # are read whole.
        due = sorted(
            CareNeed.objects.filter(
                need_filter,
                status__in=[CareNeed.Status.OPEN, CareNeed.Status.IN_PROGRESS],
                due_on__lt=today,
                cadre__status=CadreStatus.ON_REGISTER,
            )
            .order_by()
            .values_list("due_on", "pk")
        )
        last = due[29][0] if len(due) > 30 else today
        items = care_need_items(today, Q(pk__in=[pk for due_on, pk in due if due_on <= last]))
        return _most_overdue_first(items, today, 30), len(due)
    open_needs = CareNeed.objects.filter(
        status__in=[CareNeed.Status.OPEN, CareNeed.Status.IN_PROGRESS],
        due_on__lt=today,
    )
    # The whole register: the needs less those of cadres who have left it (counted from
    # the few cadres off the register rather than joined to every cadre).
    off_register = [status for status in CadreStatus.values if status != CadreStatus.ON_REGISTER]
    count = open_needs.count() - open_needs.filter(cadre__status__in=off_register).count()
    shown = list(
        open_needs.filter(cadre__status=CadreStatus.ON_REGISTER)
        .order_by("due_on")
        .values_list("due_on", flat=True)[29:30]
    )
    up_to = shown[0] if shown else today
    items = care_need_items(today, Q(due_on__lte=up_to))
    return _most_overdue_first(items, today, 30), count


def dashboard_lists(
    *, user: User, today: datetime.date, snapshot: DashboardSnapshot, by_unit: dict
) -> dict:
    """Birthdays in the next 14 days (the soonest first), the next holiday and who is
    still to be visited, overdue visits and care needs past due (the most days overdue
    first): the snapshot's rows in the user's scope, less those a visit since has
    settled and those no longer on the register; a few indexed queries, whatever the
    size of the register."""
    scoped = DashboardEntry.objects.filter(
        scope_filter(user=user, unit_path="unit", cadre_path="cadre"), snapshot=snapshot
    )
    entries = scoped.filter(cadre__status=CadreStatus.ON_REGISTER)
    changed_ids = _changed_since(snapshot)
    changed = None
    if changed_ids is not None:
        changed = scoped.filter(cadre_id__in=changed_ids) if changed_ids else scoped.none()
    horizon = today + datetime.timedelta(days=14)
    birthdays = entries.filter(
        kind=DashboardEntry.Kind.BIRTHDAY, occurrence__gte=today, occurrence__lte=horizon
    )
    overdue_kinds = PENDING_FIGURES["pending_overdue"]
    overdue = entries.exclude(_not_visited_since())
    needs, needs_count = _needs_past_due(user=user, today=today)
    return {
        # A county's fortnight of birthdays is a few dozen; a city's can be thousands.
        "birthdays": _items(
            birthdays.order_by("occurrence", "sort_name").values_list(*ENTRY_FIELDS)[
                :BIRTHDAYS_SHOWN
            ],
            today,
        ),
        "birthdays_count": _birthday_count(
            by_unit=by_unit, changed=changed, birthdays=birthdays, today=today, horizon=horizon
        ),
        "overdue": _items(_first_by_date(overdue, overdue_kinds, 30), today, overdue=True),
        "overdue_count": _pending_count(
            stored=[figures.get("pending_overdue") for figures in by_unit.values()],
            changed=changed,
            kinds=overdue_kinds,
            live=entries,
            settled=_not_visited_since(),
        ),
        "needs": needs,
        "needs_count": needs_count,
        "holiday": _next_holiday(entries, changed, snapshot, today, by_unit),
    }


def _next_holiday(
    entries, changed, snapshot: DashboardSnapshot, today: datetime.date, by_unit: dict
):
    holiday, occurrence = snapshot.holiday, snapshot.holiday_date
    if holiday is None or occurrence < today:
        return None
    _first, last = holiday_visit_window(holiday, occurrence)
    remaining = _pending_count(
        stored=[figures.get("pending_holiday") for figures in by_unit.values()],
        changed=changed,
        kinds=PENDING_FIGURES["pending_holiday"],
        live=entries,
        settled=_not_visited_since(occasion_id=holiday.occasion_id, visited_on__lte=last),
    )
    audience = sum(figures.get("holiday_audience", 0) for figures in by_unit.values())
    remaining = max(0, min(remaining, audience))
    return {
        "holiday": holiday,
        "date": occurrence,
        "days": (occurrence - today).days,
        "audience": audience,
        "remaining": remaining,
        "done_percent": round((audience - remaining) / audience * 100) if audience else 100,
    }
