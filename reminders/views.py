from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_edit_registry
from cadres.selectors import cadres_visible_to
from cadres.services import visits_record_group

from .forms import GroupVisitForm
from .models import Digest, Holiday
from .rules import holiday_occurrence
from .selectors import digests_for, holiday_campaign, upcoming_sections
from .services import digest_requeue
from .tasks import send_digest


@login_required
def mine(request):
    today = timezone.localdate()
    sections = upcoming_sections(user=request.user, today=today)
    recent = digests_for(user=request.user).filter(recipient=request.user)[:10]
    return render(
        request,
        "reminders/mine.html",
        {"sections": sections, "today": today, "recent": recent},
    )


@login_required
def log(request):
    digests = digests_for(user=request.user)
    status = request.GET.get("status", "")
    if status in Digest.Status.values:
        digests = digests.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        digests = digests.filter(recipient__full_name__icontains=query) | digests.filter(
            recipient__username__icontains=query
        )
    page = Paginator(digests.order_by("-send_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/log.html",
        {"page": page, "status": status, "q": query, "statuses": Digest.Status.choices},
    )


@login_required
def resend(request, pk: int):
    digest = get_object_or_404(digests_for(user=request.user), pk=pk)
    if digest.status != Digest.Status.FAILED:
        messages.error(request, _("Only a digest that failed can be sent again."))
        return redirect("reminders:log")
    if request.method == "POST":
        digest_requeue(digest=digest)
        send_digest.delay_on_commit(digest.pk)
        messages.success(request, _("The digest is queued to be sent again."))
        return redirect("reminders:log")
    return render(request, "reminders/resend_confirm.html", {"digest": digest})


@login_required
def campaign(request, pk: int | None = None):
    """Holiday campaign: who is still to be visited for the holiday, per unit and per
    liaison; several cadres can be ticked off with one group event."""
    today = timezone.localdate()
    holidays = list(Holiday.objects.filter(is_active=True).select_related("occasion"))
    if not holidays:
        messages.error(request, _("No holiday is active. An administrator can add one."))
        return redirect("reports:dashboard")
    if pk is None:
        upcoming = [(holiday_occurrence(h, today), h) for h in holidays]
        dated = [pair for pair in upcoming if pair[0]]
        holiday = min(dated, key=lambda pair: pair[0])[1] if dated else holidays[0]
    else:
        holiday = get_object_or_404(Holiday, pk=pk, is_active=True)
    data = holiday_campaign(user=request.user, holiday=holiday, today=today)
    form = GroupVisitForm(
        request.POST or None,
        initial={"visited_on": today},
        cadres=cadres_visible_to(user=request.user).filter(
            id__in=[row["id"] for row in data["remaining"]]
        ),
    )
    if request.method == "POST":
        if not can_edit_registry(user=request.user):
            raise PermissionDenied
        if form.is_valid():
            cadres = form.cleaned_data.pop("cadres")
            try:
                visits_record_group(
                    by=request.user,
                    cadres=cadres,
                    occasion=holiday.occasion,
                    status="done",
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("%(count)d visits recorded for %(holiday)s.")
                    % {"count": len(cadres), "holiday": holiday.name},
                )
                return redirect("reminders:campaign_holiday", pk=holiday.pk)
    return render(
        request,
        "reminders/campaign.html",
        {
            **data,
            "holidays": holidays,
            "form": form,
            "can_edit": can_edit_registry(user=request.user),
        },
    )
