"""What is due on a day, and who should hear of each item: the active reminder rules
(each in the module of its subject: birthdays, holidays, visits, care needs, branches,
assistance cases, checkups) computed in a few queries for the whole registry (100,000
cadres plan in seconds), each isolated so that one failing rule never stops the others,
and their items given to their recipients by each recipient's own lead time.

Nothing here writes; ``services.reminders_plan_day`` stores the result in the outbox.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q

from accounts.models import Unit, User
from accounts.scoping import scope_filter, unit_subtree_ids

from .assistance_rules import assistance_step_items
from .birthday_rules import birthday_items, political_birthday_items
from .branch_rules import branch_term_items
from .cadre_rows import active_cadres
from .care_need_rules import care_need_items
from .checkup_rules import checkup_pending_items
from .due_items import DueItem
from .holiday_rules import holiday_visit_items
from .models import ReminderKind, ReminderRule
from .problems import isolated_rule
from .visit_rules import (
    hospital_visit_items,
    last_visit_dates,
    overdue_visit_items,
    planned_visit_items,
)


class Recipients:
    """Who hears of an item: the cadre's liaison, or, without one (or when the liaison
    does not take reminders), the staff of the cadre's unit who receive reminders —
    looking up the unit tree until someone is found."""

    def __init__(self):
        users = User.objects.filter(is_active=True).values_list(
            "id", "unit_id", "role", "receives_reminders", "reminder_lead_days"
        )
        self.lead_days: dict[int, int | None] = {}
        self.by_unit: dict[int, list[int]] = defaultdict(list)
        for pk, unit_id, role, receives, lead in users:
            if not receives:
                continue
            self.lead_days[pk] = lead
            if unit_id and role in (User.Role.UNIT_STAFF, User.Role.BUREAU_STAFF):
                self.by_unit[unit_id].append(pk)
        self.parent = dict(Unit.objects.values_list("id", "parent_id"))
        self._unit_cache: dict[int, list[int]] = {}

    def unit_staff(self, unit_id: int | None) -> list[int]:
        if unit_id in self._unit_cache:
            return self._unit_cache[unit_id]
        found: list[int] = []
        current = unit_id
        seen = set()
        while current is not None and current not in seen and not found:
            seen.add(current)
            found = sorted(self.by_unit.get(current, []))
            current = self.parent.get(current)
        self._unit_cache[unit_id] = found
        return found

    def for_item(self, item: DueItem) -> list[int]:
        for person in (item.assignee_id, item.liaison_id):
            if person and person in self.lead_days:
                return [person]
        return self.unit_staff(item.unit_id)

    def lead_for(self, user_id: int, default: int) -> int:
        lead = self.lead_days.get(user_id)
        return default if lead is None else lead


def rules_by_kind() -> dict[str, ReminderRule]:
    return {rule.kind: rule for rule in ReminderRule.objects.filter(is_active=True)}


def _filters_for(user: User) -> tuple[Q, Q, Q]:
    """Narrow the rules to the records ``user`` can be a recipient for: cadres they are
    liaison of, and the records of their unit subtree (where they may stand in) — of
    those, only what their scope lets them see (their reminders page lists nothing the
    registry would hide from them: a branch secretary's are their branches' members)."""
    units = unit_subtree_ids(unit_id=user.unit_id) if user.unit_id else set()
    cadres = (Q(liaison=user) | Q(unit__in=units)) & scope_filter(
        user=user, unit_path="unit", cadre_path=""
    )
    needs = (Q(assignee=user) | Q(cadre__liaison=user) | Q(cadre__unit__in=units)) & scope_filter(
        user=user, unit_path="cadre__unit", cadre_path="cadre"
    )
    branches = Q(branch__unit__in=units) & scope_filter(
        user=user, unit_path="branch__unit", branch_path="branch"
    )
    return cadres, needs, branches


def _visit_filter_for(user: User) -> Q:
    """The planned visits ``user`` can be a recipient for (as ``_filters_for``): of the
    cadres they are liaison of, of the needs assigned to them, and of their unit subtree,
    within their scope."""
    units = unit_subtree_ids(unit_id=user.unit_id) if user.unit_id else set()
    return (
        Q(cadre__liaison=user) | Q(care_need__assignee=user) | Q(cadre__unit__in=units)
    ) & scope_filter(user=user, unit_path="cadre__unit", cadre_path="cadre")


def due_items_by_recipient(
    day: datetime.date, *, only_for: User | None = None
) -> dict[int, list[DueItem]]:
    """Everything due on ``day``, for each recipient (user id). With ``only_for``, only
    what may concern that user is computed (for their reminders page)."""
    rules = rules_by_kind()
    recipients = Recipients()
    cadre_filter = need_filter = branch_filter = None
    if only_for is not None:
        cadre_filter, need_filter, branch_filter = _filters_for(only_for)
    cadres = active_cadres(cadre_filter)
    last_visits = None
    items: list[DueItem] = []
    leads = {kind: rules[kind].lead_days for kind in rules}
    user_leads = [lead for lead in recipients.lead_days.values() if lead is not None]
    if ReminderKind.BIRTHDAY in rules:
        horizon = max([leads[ReminderKind.BIRTHDAY], *user_leads])
        items += isolated_rule(ReminderKind.BIRTHDAY, birthday_items, cadres, day, horizon)
    if ReminderKind.POLITICAL_BIRTHDAY in rules:
        horizon = max([leads[ReminderKind.POLITICAL_BIRTHDAY], *user_leads])
        items += isolated_rule(
            ReminderKind.POLITICAL_BIRTHDAY, political_birthday_items, cadres, day, horizon
        )
    if ReminderKind.HOLIDAY_VISIT in rules:
        items += isolated_rule(ReminderKind.HOLIDAY_VISIT, holiday_visit_items, cadres, day)
    if ReminderKind.OVERDUE_VISIT in rules or ReminderKind.HOSPITAL_VISIT in rules:
        last_visits = last_visit_dates()
    if ReminderKind.OVERDUE_VISIT in rules:
        items += isolated_rule(
            ReminderKind.OVERDUE_VISIT,
            overdue_visit_items,
            cadres,
            day,
            rules[ReminderKind.OVERDUE_VISIT],
            last_visits,
        )
    if ReminderKind.HOSPITAL_VISIT in rules:
        items += isolated_rule(
            ReminderKind.HOSPITAL_VISIT,
            hospital_visit_items,
            cadres,
            day,
            rules[ReminderKind.HOSPITAL_VISIT],
            last_visits,
        )
    if ReminderKind.CARE_NEED_OVERDUE in rules:
        items += isolated_rule(ReminderKind.CARE_NEED_OVERDUE, care_need_items, day, need_filter)
    if ReminderKind.BRANCH_TERM_ENDING in rules:
        items += isolated_rule(
            ReminderKind.BRANCH_TERM_ENDING,
            branch_term_items,
            day,
            rules[ReminderKind.BRANCH_TERM_ENDING],
            branch_filter,
        )
    items += isolated_rule(
        ReminderKind.PLANNED_VISIT,
        planned_visit_items,
        day,
        rules,
        _visit_filter_for(only_for) if only_for is not None else None,
    )
    if ReminderKind.ASSISTANCE_STEP in rules:
        items += isolated_rule(
            ReminderKind.ASSISTANCE_STEP,
            assistance_step_items,
            day,
            (scope_filter(user=only_for, unit_path="unit", cadre_path="cadre") or None)
            if only_for is not None
            else None,
        )
    if ReminderKind.CHECKUP_PENDING in rules:
        items += isolated_rule(
            ReminderKind.CHECKUP_PENDING,
            checkup_pending_items,
            day,
            rules[ReminderKind.CHECKUP_PENDING],
            cadre_filter,
        )

    plan: dict[int, list[DueItem]] = defaultdict(list)
    for item in items:
        for user_id in recipients.for_item(item):
            ahead = item.days_ahead
            if ahead is not None and ahead > recipients.lead_for(user_id, leads[item.kind]):
                continue
            plan[user_id].append(item)
    return dict(plan)
