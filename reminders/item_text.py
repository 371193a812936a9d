"""How one reminder item reads: its line of text in the active language (a birthday
with its age and calendar, a planned visit with its occasion and days overdue, an
assistance case's next step…) and where its link leads (a planned visit's completion
form, a case, a checkup form, else the cadre's page). The digest email, the reminders
page and ``send_reminders --dry-run`` all word items this way.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from .models import ReminderKind
from .visit_rules import VISIT_KINDS


def item_text(kind: str, details: dict, occurrence: datetime.date) -> str:
    """One line of a digest or page, in the active language."""
    name = details.get("name", "")
    when = formats.date_format(occurrence, "MONTH_DAY_FORMAT")  # 6月15日 / June 15
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
    if kind in VISIT_KINDS:
        return _planned_visit_text(kind, details, when)
    if kind == ReminderKind.ASSISTANCE_STEP:
        return _assistance_step_text(details, when)
    if kind == ReminderKind.CHECKUP_PENDING:
        return _("%(name)s: not yet checked in %(campaign)s, which closes on %(date)s") % {
            "name": name,
            "campaign": details.get("campaign", ""),
            "date": when,
        }
    return name


def _planned_visit_text(kind: str, details: dict, when: str) -> str:
    values = {
        "name": details.get("name", ""),
        "occasion": details.get("occasion", ""),
        "category": details.get("category", ""),
        "date": when,
    }
    followed = details.get("followed_visit_on")
    if kind == ReminderKind.FOLLOW_UP_VISIT and followed:
        day = datetime.date.fromisoformat(followed)
        values["visited"] = formats.date_format(day, "MONTH_DAY_FORMAT")
        text = _("%(name)s: follow-up of the visit on %(visited)s, due %(date)s") % values
    elif kind == ReminderKind.FOLLOW_UP_VISIT:
        text = _("%(name)s: follow-up visit (%(occasion)s), due %(date)s") % values
    elif kind == ReminderKind.RETURN_VISIT:
        text = _("%(name)s: return visit on the %(category)s need, due %(date)s") % values
    else:
        text = _("%(name)s: planned %(occasion)s visit, due %(date)s") % values
    if (details.get("days") or 0) > 0:
        text += _(" (%(days)s days overdue)") % {"days": details["days"]}
    return text


def _assistance_step_text(details: dict, when: str) -> str:
    from assistance.models import Category
    from assistance.steps import STEP_LABELS

    step = STEP_LABELS.get(details.get("step"), details.get("step", ""))
    category = dict(Category.choices).get(details.get("category"), "")
    text = _(
        "%(name)s (%(unit)s): hardship assistance, %(category)s — %(step)s, due since %(date)s"
    ) % {
        "name": details.get("name", ""),
        "unit": details.get("unit", ""),
        "category": category,
        "step": step,
        "date": when,
    }
    if (details.get("days") or 0) > 0:
        text += _(" (waiting %(days)s days)") % {"days": details["days"]}
    return text


def item_url(kind: str, details: dict, cadre_id: int | None) -> str:
    """Where an item's link leads (a path): a planned visit's completion form, else the
    cadre's page."""
    if kind in VISIT_KINDS and details.get("visit_id"):
        return reverse("cadres:visit_complete", args=[details["visit_id"]])
    if kind == ReminderKind.ASSISTANCE_STEP and details.get("case_id"):
        return reverse("assistance:detail", args=[details["case_id"]])
    if kind == ReminderKind.CHECKUP_PENDING and details.get("campaign_id") and cadre_id:
        return reverse("checkups:record", args=[details["campaign_id"], cadre_id])
    if cadre_id:
        return reverse("cadres:detail", args=[cadre_id])
    return ""
