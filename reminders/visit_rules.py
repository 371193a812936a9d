"""The reminder rules of visits (走访): a cadre not visited for the set number of days
for their retirement kind (走访逾期), a cadre in hospital not visited since admission
(住院探望), and the planned visits falling due — planned as such (the condolence visit
first), follow-ups of an earlier visit (跟进) and return visits after a need was
answered (回访).
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Q

from cadres.models import CadreStatus, CareNeed, Health, RetirementKind, Visit

from .cadre_rows import CadreRow
from .due_items import DueItem, cadre_item
from .models import ReminderKind, ReminderRule
from .problems import skip_record


def last_visit_dates() -> dict[int, datetime.date]:
    rows = (
        Visit.objects.filter(status=Visit.Status.DONE, cadre__status=CadreStatus.ON_REGISTER)
        .values("cadre_id")
        .annotate(last=Max("visited_on"))
        .values_list("cadre_id", "last")
    )
    return dict(rows.iterator(chunk_size=5000))


def overdue_visit_items(
    cadres: list[CadreRow], day, rule: ReminderRule, last_visits: dict
) -> list[DueItem]:
    """Cadres with no visit for the set number of days (per retirement kind). The
    occurrence is the day the visit became overdue, so one overdue spell is reminded
    once."""
    items = []
    limits = {
        RetirementKind.LIXIU: rule.threshold_days_lixiu,
        RetirementKind.TUIXIU: rule.threshold_days_tuixiu,
    }
    for cadre in cadres:
        try:
            limit = limits.get(cadre.retirement_kind)
            if not limit:
                continue
            last = last_visits.get(cadre.id)
            anchor = last or cadre.created_on
            overdue_from = anchor + datetime.timedelta(days=limit)
            if overdue_from <= day:
                items.append(
                    cadre_item(
                        ReminderKind.OVERDUE_VISIT,
                        cadre,
                        overdue_from,
                        f"cadre:{cadre.id}",
                        last_visit=last.isoformat() if last else None,
                        days=(day - anchor).days,
                    )
                )
        except Exception as error:  # one bad record never stops the rule
            skip_record(ReminderKind.OVERDUE_VISIT, cadre.id, error)
    return items


def hospital_visit_items(
    cadres: list[CadreRow], day, rule: ReminderRule, last_visits: dict
) -> list[DueItem]:
    """In hospital, and no visit for ``threshold_days`` since admission or the last
    visit, whichever is later."""
    limit = rule.threshold_days or 3
    items = []
    for cadre in cadres:
        try:
            if cadre.health != Health.IN_HOSPITAL:
                continue
            anchors = [d for d in (last_visits.get(cadre.id), cadre.health_changed_on) if d]
            anchor = max(anchors) if anchors else cadre.created_on
            due_from = anchor + datetime.timedelta(days=limit)
            if due_from <= day:
                items.append(
                    cadre_item(
                        ReminderKind.HOSPITAL_VISIT,
                        cadre,
                        due_from,
                        f"cadre:{cadre.id}",
                        since=anchor.isoformat(),
                        days=(day - anchor).days,
                    )
                )
        except Exception as error:  # one bad record never stops the rule
            skip_record(ReminderKind.HOSPITAL_VISIT, cadre.id, error)
    return items


VISIT_KINDS = (
    ReminderKind.PLANNED_VISIT,
    ReminderKind.FOLLOW_UP_VISIT,
    ReminderKind.RETURN_VISIT,
)
# A planned visit left undone for longer than this is no longer reminded (the to-do list
# still shows it).
PLANNED_VISIT_MAX_OVERDUE_DAYS = 365


def planned_visit_kind(*, follow_up_of_id: int | None, care_need_id: int | None) -> str:
    if follow_up_of_id is not None:
        return ReminderKind.FOLLOW_UP_VISIT
    if care_need_id is not None:
        return ReminderKind.RETURN_VISIT
    return ReminderKind.PLANNED_VISIT


def planned_visit_items(
    day, rules: dict[str, ReminderRule], visit_filter: Q | None = None
) -> list[DueItem]:
    """Planned visits falling due within their kind's lead days, or overdue: the
    condolence visit (also of a cadre who has died: it is for the family), follow-ups
    by their 跟进 date, and return visits after an answered need, which go to the need's
    assignee. Keyed by the visit and its due date, so a rescheduled visit is reminded
    again; a visit done or cancelled is no longer planned and drops out."""
    leads = {kind: rules[kind].lead_days for kind in VISIT_KINDS if kind in rules}
    if not leads:
        return []
    visits = (
        Visit.objects.filter(
            status=Visit.Status.PLANNED,
            due_on__lte=day + datetime.timedelta(days=max(leads.values())),
            due_on__gte=day - datetime.timedelta(days=PLANNED_VISIT_MAX_OVERDUE_DAYS),
        )
        .filter(visit_filter or Q())
        .values_list(
            "id",
            "due_on",
            "occasion__code",
            "occasion__name",
            "cadre_id",
            "cadre__name",
            "cadre__unit_id",
            "cadre__liaison_id",
            "follow_up_of_id",
            "follow_up_of__visited_on",
            "care_need_id",
            "care_need__category",
            "care_need__assignee_id",
        )
        .order_by("due_on", "id")
    )
    categories = dict(CareNeed.Category.choices)
    items = []
    for (
        pk,
        due_on,
        code,
        occasion,
        cadre_id,
        name,
        unit_id,
        liaison_id,
        follow_up_of_id,
        followed_visit_on,
        need_id,
        category,
        need_assignee_id,
    ) in visits:
        kind = planned_visit_kind(follow_up_of_id=follow_up_of_id, care_need_id=need_id)
        if kind not in leads or (due_on - day).days > leads[kind]:
            continue
        details = {
            "name": name,
            "visit_id": pk,
            "occasion": occasion,
            "days": (day - due_on).days,
            # The condolence visit comes first in a digest (五必访: death).
            "condolence": code == "condolence",
        }
        if followed_visit_on:
            details["followed_visit_on"] = followed_visit_on.isoformat()
        if need_id:
            details["category"] = str(categories.get(category, category))
        items.append(
            DueItem(
                kind=kind,
                subject_key=f"visit:{pk}",
                occurrence=due_on,
                unit_id=unit_id,
                cadre_id=cadre_id,
                liaison_id=liaison_id,
                assignee_id=need_assignee_id,
                details=details,
            )
        )
    return items
