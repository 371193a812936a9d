from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.forms import form_add_service_errors
from accounts.params import parse_ids, parse_search
from accounts.scoping import can_edit_registry, require_editor
from cadres.selectors import cadres_visible_to

from .forms import BulkForm, CheckupForm, FilterForm, NotCheckedForm
from .selectors import (
    NO_REASON,
    PENDING,
    campaign_for,
    campaign_progress,
    campaign_rows,
    campaigns_visible_to,
    can_open_campaigns,
    checkup_of,
    in_audience,
    matches,
    pending_filter_choices,
)
from .services import checkup_record, checkups_mark_not_checked, checkups_record_group

PAGE_SIZE = 50


@login_required
def index(request):
    """The checkup campaigns, this year's first."""
    today = timezone.localdate()
    campaigns = list(campaigns_visible_to(user=request.user))
    return render(
        request,
        "checkups/index.html",
        {"campaigns": campaigns, "today": today, "can_open": can_open_campaigns(user=request.user)},
    )


def filter_rows(request, rows):
    """The campaign list's filters (by default who is not yet checked) read from the
    query string, and the rows they keep: the page and its .xlsx list the same rows."""
    form = FilterForm(
        request.GET or None, initial={"status": PENDING}, **pending_filter_choices(rows=rows)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status", PENDING) if request.GET.get("status") is not None else PENDING
    unit, liaison = filters.get("unit"), filters.get("liaison")
    query = parse_search(filters.get("q"))
    shown = [
        row
        for row in rows
        if matches(row, status)
        and (unit is None or row["unit_id"] == unit.pk)
        and (liaison is None or row["liaison_id"] == liaison.pk)
        and (not query or query in row["name"])
    ]
    return form, status, shown


@login_required
def campaign(request, pk: int):
    """One campaign: progress per unit and per liaison, and the list of the viewer's
    cadres (by default those not yet checked, with the reason); several can be marked
    at once."""
    checkup_campaign = campaign_for(user=request.user, pk=pk)
    today = timezone.localdate()
    rows = campaign_rows(campaign=checkup_campaign, today=today, user=request.user)
    progress = campaign_progress(campaign=checkup_campaign, today=today, rows=rows)
    form, status, shown = filter_rows(request, rows)
    pending_ids = {row["id"] for row in rows if row["state"] == PENDING}
    bulk = BulkForm(
        request.POST or None,
        campaign=checkup_campaign,
        cadres=cadres_visible_to(user=request.user).filter(pk__in=pending_ids),
        initial={"checked_on": min(today, checkup_campaign.closes_on)},
    )
    if request.method == "POST":
        require_editor(user=request.user)
        if bulk.is_valid():
            data = bulk.cleaned_data
            try:
                if data["action"] == BulkForm.RECORD:
                    done = checkups_record_group(
                        by=request.user,
                        campaign=checkup_campaign,
                        cadres=data["cadres"],
                        checked_on=data["checked_on"],
                        hospital=data.get("hospital") or "",
                    )
                    text = _("%(count)d checkups recorded.")
                else:
                    done = checkups_mark_not_checked(
                        by=request.user,
                        campaign=checkup_campaign,
                        cadres=data["cadres"],
                        reason=data["reason"],
                    )
                    text = _("The reason is recorded for %(count)d cadres.")
            except ValidationError as error:
                form_add_service_errors(bulk, error)
            else:
                messages.success(request, text % {"count": len(done)})
                return redirect(request.get_full_path())
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "checkups/campaign.html",
        {
            "campaign": checkup_campaign,
            "progress": progress,
            "form": form,
            "status": status,
            "page": page,
            "shown_count": len(shown),
            "bulk": bulk,
            "ticked": set(parse_ids(request.POST.getlist("cadres"))),
            "can_edit": can_edit_registry(user=request.user),
            "window_open": checkup_campaign.opens_on <= today,
            # Rows are ticked on the lists of those not yet checked.
            "can_tick": can_edit_registry(user=request.user)
            and checkup_campaign.opens_on <= today
            and status in (PENDING, NO_REASON),
        },
    )


@login_required
def record(request, pk: int, cadre_pk: int):
    """Record a cadre's checkup (or why they are not checked)."""
    require_editor(user=request.user)
    checkup_campaign = campaign_for(user=request.user, pk=pk)
    cadre = get_object_or_404(cadres_visible_to(user=request.user), pk=cadre_pk)
    today = timezone.localdate()
    if not in_audience(campaign=checkup_campaign, cadre=cadre, today=today):
        raise Http404
    existing = checkup_of(campaign=checkup_campaign, cadre=cadre)
    initial = {"checked_on": min(today, checkup_campaign.closes_on), "health": cadre.health}
    if existing is not None and existing.is_checked:
        initial.update(
            checked_on=existing.checked_on,
            hospital=existing.hospital,
            result=existing.result,
            result_summary=existing.result_summary,
            notes=existing.notes,
        )
        if existing.follow_up_visit is not None:
            initial["follow_up_on"] = existing.follow_up_visit.due_on
    action = request.POST.get("action") if request.method == "POST" else None
    form = CheckupForm(
        request.POST if action == "record" else None,
        request.FILES if action == "record" else None,
        campaign=checkup_campaign,
        initial=initial,
    )
    reason_form = NotCheckedForm(
        request.POST if action == "reason" else None,
        initial={"reason": existing.not_checked_reason if existing else ""},
    )
    back = reverse("checkups:campaign", args=[checkup_campaign.pk])
    if action == "record" and form.is_valid():
        try:
            checkup_record(
                by=request.user, campaign=checkup_campaign, cadre=cadre, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Checkup of %(name)s recorded.") % {"name": cadre.name})
            return redirect(back)
    if action == "reason" and reason_form.is_valid():
        try:
            checkups_mark_not_checked(
                by=request.user,
                campaign=checkup_campaign,
                cadres=[cadre],
                reason=reason_form.cleaned_data["reason"],
                notes=reason_form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form_add_service_errors(reason_form, error)
        else:
            messages.success(request, _("Recorded for %(name)s.") % {"name": cadre.name})
            return redirect(back)
    return render(
        request,
        "checkups/record.html",
        {
            "campaign": checkup_campaign,
            "cadre": cadre,
            "checkup": existing,
            "form": form,
            "reason_form": reason_form,
        },
    )
