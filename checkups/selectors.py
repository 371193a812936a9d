"""Reads of the checkups app: campaigns, their audience and progress per unit and per
liaison (also for the yearly scorecard), and the checkups of a cadre."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Unit, User
from accounts.scoping import UNRESTRICTED_ROLES, can_use_admin, scope_filter, scope_queryset
from cadres.models import Cadre

from .audience import campaign_audience_q
from .models import Checkup, CheckupCampaign

PENDING = "pending"
CHECKED = "checked"
NO_REASON = "no_reason"


def can_open_campaigns(*, user: User) -> bool:
    """Campaigns are opened (in admin) by administrators and bureau staff: the bureau
    organises the checkups."""
    return can_use_admin(user=user) and (user.is_superuser or user.role in UNRESTRICTED_ROLES)


def campaigns_visible_to(*, user: User) -> QuerySet[CheckupCampaign]:
    """Campaigns are the bureau's, the same for every unit; each viewer sees their own
    cadres in them."""
    return CheckupCampaign.objects.filter(is_active=True)


def campaign_for(*, user: User, pk: int) -> CheckupCampaign:
    return get_object_or_404(campaigns_visible_to(user=user), pk=pk)


def current_campaign(*, user: User, today: datetime.date) -> CheckupCampaign | None:
    """The campaign whose window is open (the one closing first), else the latest."""
    campaigns = campaigns_visible_to(user=user)
    open_now = campaigns.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on")
    return open_now.first() or campaigns.first()


def audience_cadres(
    *, campaign: CheckupCampaign, today: datetime.date, user: User | None = None
) -> QuerySet[Cadre]:
    """The campaign's cadres (within ``user``'s scope when given), in pinyin order."""
    queryset = Cadre.objects.filter(campaign_audience_q(campaign, today=today))
    if user is not None:
        queryset = scope_queryset(queryset, user=user, unit_path="unit", cadre_path="")
    return queryset.order_by("name_pinyin", "id")


def in_audience(*, campaign: CheckupCampaign, cadre: Cadre, today: datetime.date) -> bool:
    return audience_cadres(campaign=campaign, today=today).filter(pk=cadre.pk).exists()


def campaign_rows(
    *,
    campaign: CheckupCampaign,
    today: datetime.date,
    user: User | None = None,
    unit_ids: Iterable[int] | None = None,
) -> list[dict]:
    """One row per cadre of the campaign (in the user's scope, or of ``unit_ids``), in
    pinyin order, with their checkup if any: ``state`` is "checked" or "pending". Three
    queries, however many cadres."""
    cadres = audience_cadres(campaign=campaign, today=today, user=user)
    if unit_ids is not None:
        cadres = cadres.filter(unit_id__in=list(unit_ids))
    checkups = {
        row[0]: row
        for row in Checkup.objects.filter(campaign=campaign)
        .order_by()
        .values_list(
            "cadre_id",
            "id",
            "checked_on",
            "result",
            "not_checked_reason",
            "hospital",
            "follow_up_visit_id",
            "report_file",
        )
    }
    results = dict(Checkup.Result.choices)
    reasons = dict(Checkup.Reason.choices)
    rows = []
    for pk, name, unit_id, liaison_id in cadres.values_list("id", "name", "unit_id", "liaison_id"):
        found = checkups.get(pk)
        _cadre, checkup_id, checked_on, result, reason, hospital, visit_id, report = found or (
            (None,) * 8
        )
        rows.append(
            {
                "id": pk,
                "name": name,
                "unit_id": unit_id,
                "liaison_id": liaison_id,
                "state": CHECKED if checked_on else PENDING,
                "checkup_id": checkup_id,
                "checked_on": checked_on,
                "result": result or "",
                "result_label": results.get(result, ""),
                "reason": reason or "",
                "reason_label": reasons.get(reason, ""),
                "hospital": hospital or "",
                "follow_up_visit_id": visit_id,
                "has_report": bool(report),
            }
        )
    return rows


def matches(row: dict, status: str) -> bool:
    """Whether a row passes the list's status filter ("" — everyone —, "pending",
    "no_reason", "checked", a result or a reason)."""
    if not status:
        return True
    if status in (PENDING, CHECKED):
        return row["state"] == status
    if status == NO_REASON:
        return row["state"] == PENDING and not row["reason"]
    if status in Checkup.Result.values:
        return row["result"] == status
    if status in Checkup.Reason.values:
        return row["state"] == PENDING and row["reason"] == status
    return True


def _group(rows: list[dict], key: str, names: dict) -> list[dict]:
    groups: dict = {}
    for row in rows:
        group = groups.setdefault(
            row[key], {"total": 0, "checked": 0, "follow_up": 0, "referred": 0, "reasons": 0}
        )
        group["total"] += 1
        group["checked"] += row["state"] == CHECKED
        group["follow_up"] += row["result"] == Checkup.Result.FOLLOW_UP
        group["referred"] += row["result"] == Checkup.Result.REFERRED
        group["reasons"] += row["state"] == PENDING and bool(row["reason"])
    table = [
        {
            "id": pk,
            "name": names.get(pk, "—"),
            **counts,
            "pending": counts["total"] - counts["checked"],
            "percent": round(counts["checked"] / counts["total"] * 100),
        }
        for pk, counts in groups.items()
    ]
    return sorted(table, key=lambda row: (row["percent"], row["name"]))


def campaign_progress(
    *,
    campaign: CheckupCampaign,
    today: datetime.date,
    user: User | None = None,
    unit_ids: Iterable[int] | None = None,
    rows: list[dict] | None = None,
) -> dict:
    """The campaign's figures — cadres to check, checked, still to check (and of them
    with a reason), findings to follow up, referrals — in all and per unit and per
    liaison. Limited to ``user``'s scope, or to ``unit_ids`` (the scorecard's units);
    without either, the whole registry. A fixed number of queries."""
    if rows is None:
        rows = campaign_rows(campaign=campaign, today=today, user=user, unit_ids=unit_ids)
    unit_names = dict(
        Unit.objects.filter(id__in={row["unit_id"] for row in rows})
        .order_by()
        .values_list("id", "name")
    )
    staff = User.objects.filter(pk__in={row["liaison_id"] for row in rows if row["liaison_id"]})
    liaison_names = {person.pk: person.display_name for person in staff}
    total = len(rows)
    checked = sum(row["state"] == CHECKED for row in rows)
    reasons = dict(Checkup.Reason.choices)
    return {
        "audience": total,
        "checked": checked,
        "pending": total - checked,
        "percent": round(checked / total * 100) if total else 100,
        "follow_up": sum(row["result"] == Checkup.Result.FOLLOW_UP for row in rows),
        "referred": sum(row["result"] == Checkup.Result.REFERRED for row in rows),
        "by_reason": [
            {
                "reason": code,
                "label": label,
                "count": sum(r["state"] == PENDING and r["reason"] == code for r in rows),
            }
            for code, label in reasons.items()
        ],
        "no_reason": sum(row["state"] == PENDING and not row["reason"] for row in rows),
        "by_unit": _group(rows, "unit_id", unit_names),
        "by_liaison": _group(rows, "liaison_id", liaison_names),
    }


def checkup_for(*, user: User, pk: int) -> Checkup:
    """One checkup of the user's scope (its cadre's), else 404."""
    queryset = Checkup.objects.select_related("campaign", "cadre").filter(
        scope_filter(user=user, unit_path="cadre__unit", cadre_path="cadre")
    )
    return get_object_or_404(queryset, pk=pk)


def checkup_of(*, campaign: CheckupCampaign, cadre: Cadre) -> Checkup | None:
    return (
        Checkup.objects.select_related("follow_up_visit", "recorded_by")
        .filter(campaign=campaign, cadre=cadre)
        .first()
    )


def pending_filter_choices(*, rows: list[dict]) -> dict:
    """The units and liaisons the list's filters offer: those of the viewer's rows."""
    unit_ids = {row["unit_id"] for row in rows}
    liaison_ids = {row["liaison_id"] for row in rows if row["liaison_id"]}
    return {
        "units": Unit.objects.filter(id__in=unit_ids).order_by("sort_order", "name"),
        "liaisons": User.objects.filter(id__in=liaison_ids).order_by("full_name", "username"),
    }
