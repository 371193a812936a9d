"""Writes of the checkups app. Each service validates in full, runs in one transaction
and leaves an entry in the record's history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cadres.models import Cadre, Visit, VisitOccasion
from cadres.services import cadre_update
from cadres.visit_services import (
    new_visit_refusal,
    visit_cancel,
    visit_record,
    visit_reschedule,
)

from .models import Checkup, CheckupCampaign
from .selectors import audience_cadres

ROUTINE_OCCASION = "routine"


def _audience_ids(campaign: CheckupCampaign, cadres: Iterable[Cadre]) -> set[int]:
    ids = [cadre.pk for cadre in cadres]
    return set(
        audience_cadres(campaign=campaign, today=timezone.localdate())
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )


def _refuse_outside_audience(campaign: CheckupCampaign, cadres: list[Cadre]) -> None:
    outside = [c.name for c in cadres if c.pk not in _audience_ids(campaign, cadres)]
    if outside:
        raise ValidationError(
            {
                "cadre": _("Not among the cadres of this campaign: %(names)s")
                % {"names": "、".join(outside)}
            },
            code="not_in_audience",
        )


def _check_date(campaign: CheckupCampaign, checked_on: datetime.date) -> None:
    if checked_on > timezone.localdate():
        raise ValidationError(
            {"checked_on": _("A checkup cannot have happened in the future.")}, code="future"
        )
    if not campaign.opens_on <= checked_on <= campaign.closes_on:
        raise ValidationError(
            {
                "checked_on": _("The campaign's checkups are from %(first)s to %(last)s.")
                % {"first": campaign.opens_on, "last": campaign.closes_on}
            },
            code="outside_window",
        )


def _save(checkup: Checkup, by: User, reason: str) -> Checkup:
    checkup.full_clean()
    checkup._history_user = by
    checkup._change_reason = reason[:100]
    checkup.save()
    return checkup


def _follow_up_occasion(campaign: CheckupCampaign) -> VisitOccasion:
    return campaign.follow_up_occasion or VisitOccasion.objects.get(code=ROUTINE_OCCASION)


def _plan_follow_up(
    checkup: Checkup, *, by: User, follow_up_on: datetime.date | None
) -> Visit | None:
    """A finding that needs a follow-up plans a visit (so it is in the liaison's visits
    to do and reminded like any planned visit); the visit is moved when the date
    changes, and cancelled when the result no longer asks for it."""
    visit = checkup.follow_up_visit
    wanted = checkup.result == Checkup.Result.FOLLOW_UP
    if visit is not None and visit.status == Visit.Status.PLANNED:
        if not wanted:
            visit_cancel(
                visit=visit, by=by, reason=_("The checkup result no longer needs a follow-up.")
            )
        elif follow_up_on and follow_up_on != visit.due_on:
            visit_reschedule(
                visit=visit,
                by=by,
                due_on=follow_up_on,
                reason=_("Follow-up date of the checkup changed"),
            )
        return visit
    if not wanted or visit is not None or new_visit_refusal(cadre=checkup.cadre):
        return visit
    campaign = checkup.campaign
    due = follow_up_on or max(
        checkup.checked_on + datetime.timedelta(days=campaign.follow_up_days),
        timezone.localdate(),
    )
    summary = checkup.result_summary.strip()
    return visit_record(
        by=by,
        cadre=checkup.cadre,
        status=Visit.Status.PLANNED,
        due_on=due,
        occasion=_follow_up_occasion(campaign),
        mode=Visit.Mode.HOME,
        notes=_("Follow-up of the checkup (%(campaign)s): %(summary)s")
        % {"campaign": campaign.name, "summary": summary or _("follow-up needed")},
    )


def _update_health(checkup: Checkup, *, by: User, health: str | None) -> Cadre:
    """The cadre's health section: the new status (if given), and a line on the
    checkup added to the health notes; the cadre's history keeps the old values."""
    cadre = checkup.cadre
    line = (
        f"{checkup.checked_on.isoformat()} {checkup.campaign.name}: {checkup.get_result_display()}"
    )
    if checkup.result_summary.strip():
        line += f" — {checkup.result_summary.strip()}"
    notes = "\n".join(part for part in (cadre.health_notes.strip(), line) if part)
    return cadre_update(cadre=cadre, by=by, health=health or cadre.health, health_notes=notes)


@transaction.atomic
def checkup_record(
    *,
    by: User,
    campaign: CheckupCampaign,
    cadre: Cadre,
    checked_on: datetime.date,
    result: str,
    hospital: str = "",
    result_summary: str = "",
    notes: str = "",
    report_file: UploadedFile | None = None,
    follow_up_on: datetime.date | None = None,
    update_health: bool = False,
    health: str | None = None,
) -> Checkup:
    """Record (or correct) a cadre's checkup in a campaign. A result that needs a
    follow-up plans a follow-up visit (due ``follow_up_on``, else the campaign's
    number of days after the checkup); with ``update_health``, the cadre's health
    section is updated. A cadre outside the campaign's audience, or a date outside its
    window: ``ValidationError``."""
    _refuse_outside_audience(campaign, [cadre])
    _check_date(campaign, checked_on)
    checkup = (
        # Only the checkup's row is locked: PostgreSQL cannot lock the nullable side of
        # the outer join to its follow-up visit.
        Checkup.objects.select_for_update(of=("self",))
        .select_related("follow_up_visit")
        .filter(campaign=campaign, cadre=cadre)
        .first()
    ) or Checkup(campaign=campaign, cadre=cadre, recorded_by=by)
    reason = _("Checkup corrected") if checkup.is_checked else _("Checkup recorded")
    checkup.cadre = cadre
    checkup.campaign = campaign
    checkup.checked_on = checked_on
    checkup.result = result
    checkup.hospital = hospital.strip() or (campaign.hospital_list or [""])[0]
    checkup.result_summary = result_summary
    checkup.notes = notes
    checkup.not_checked_reason = ""
    if report_file is not None:
        checkup.report_file = report_file
        checkup.report_name = report_file.name[:255]
    checkup.full_clean()
    checkup.follow_up_visit = _plan_follow_up(checkup, by=by, follow_up_on=follow_up_on)
    _save(checkup, by, reason)
    if update_health:
        _update_health(checkup, by=by, health=health)
    return checkup


@transaction.atomic
def checkups_record_group(
    *,
    by: User,
    campaign: CheckupCampaign,
    cadres: Iterable[Cadre],
    checked_on: datetime.date,
    hospital: str = "",
) -> list[Checkup]:
    """Several cadres checked together (a group checkup day), each with a normal
    result; findings are then recorded one by one."""
    people = list(cadres)
    _refuse_outside_audience(campaign, people)
    return [
        checkup_record(
            by=by,
            campaign=campaign,
            cadre=cadre,
            checked_on=checked_on,
            result=Checkup.Result.NORMAL,
            hospital=hospital,
        )
        for cadre in people
    ]


@transaction.atomic
def checkups_mark_not_checked(
    *,
    by: User,
    campaign: CheckupCampaign,
    cadres: Iterable[Cadre],
    reason: str,
    notes: str = "",
) -> list[Checkup]:
    """Why cadres are not checked (declined, in hospital, away…); ``reason`` "" clears
    it. Cadres already checked keep their checkup: ``ValidationError``."""
    people = list(cadres)
    _refuse_outside_audience(campaign, people)
    existing = {
        checkup.cadre_id: checkup
        for checkup in Checkup.objects.select_for_update().filter(
            campaign=campaign, cadre__in=people
        )
    }
    checked = [c.name for c in people if c.pk in existing and existing[c.pk].is_checked]
    if checked:
        raise ValidationError(
            _("Already checked: %(names)s") % {"names": "、".join(checked)}, code="checked"
        )
    saved = []
    for cadre in people:
        checkup = existing.get(cadre.pk) or Checkup(campaign=campaign, cadre=cadre, recorded_by=by)
        checkup.not_checked_reason = reason
        if notes:
            checkup.notes = notes
        label = dict(Checkup.Reason.choices).get(reason, _("none"))
        saved.append(_save(checkup, by, _("Not checked: %(reason)s") % {"reason": label}))
    return saved


@transaction.atomic
def checkup_campaign_open(
    *, by: User | None, cadres: Iterable[Cadre] = (), **fields: Any
) -> CheckupCampaign:
    """Open a year's checkup campaign (with the listed cadres, for that audience)."""
    campaign = CheckupCampaign(**fields)
    campaign.full_clean()
    if by is not None:
        campaign._history_user = by
    campaign.save()
    if cadres:
        campaign.cadres.set(list(cadres))
    return campaign
