from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.forms import form_add_service_errors
from accounts.params import parse_date, parse_ids, parse_search
from accounts.scoping import can_edit_registry
from cadres.selectors import cadres_visible_to

from .campaign_selectors import campaign_occurrences, holiday_campaign
from .campaign_services import holiday_visits_record_group
from .delivery_services import digest_requeue
from .feed_selectors import (
    FEED_DAYS,
    calendar_feed_by_token,
    calendar_feed_for,
    feed_events,
    feed_url,
)
from .feed_services import calendar_feed_record_fetch, calendar_feed_reset
from .forms import GroupVisitForm
from .holiday_rules import holiday_occurrence
from .ical import feed_calendar
from .models import Digest, Holiday
from .selectors import digests_for, upcoming_sections
from .tasks import send_digest


@login_required
def mine(request):
    today = timezone.localdate()
    sections = upcoming_sections(user=request.user, today=today)
    recent = digests_for(user=request.user).filter(recipient=request.user)[:10]
    calendar_feed = calendar_feed_for(user=request.user)
    url = feed_url(feed=calendar_feed) if calendar_feed else ""
    return render(
        request,
        "reminders/mine.html",
        {
            "sections": sections,
            "today": today,
            "recent": recent,
            "feed": calendar_feed,
            "feed_url": url,
            # webcal:// opens the subscription dialogue of Apple and Outlook calendars.
            "feed_webcal_url": "webcal://" + url.split("://", 1)[-1] if url else "",
            "days": FEED_DAYS,
        },
    )


@require_safe
def feed(request, token: str):
    """The calendar feed (日历订阅). Calendar apps cannot sign in, so there is no login:
    the secret token is the key, and an unknown or reset token is simply not found."""
    calendar_feed = calendar_feed_by_token(token=token)
    if calendar_feed is None:
        raise Http404
    user = calendar_feed.user
    now = timezone.now()
    # Calendar apps send no language cookie, so the feed is in the site's language.
    events = feed_events(user=user, today=timezone.localdate(now))
    body = feed_calendar(user=user, events=events, stamp=now)
    calendar_feed_record_fetch(feed=calendar_feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="yinling.ics"'
    # The address is a secret: keep it out of shared caches and search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
def feed_reset(request):
    """Make (or remake) the user's calendar feed address, after a confirmation page."""
    calendar_feed = calendar_feed_for(user=request.user)
    if request.method == "POST":
        calendar_feed_reset(user=request.user)
        if calendar_feed is None:
            messages.success(request, _("Your calendar link is ready. Add it to your calendar."))
        else:
            messages.success(
                request,
                _("Your calendar link has been reset. The old link no longer works."),
            )
        return redirect(reverse("reminders:mine") + "#calendar-feed")
    return render(request, "reminders/feed_reset_confirm.html", {"feed": calendar_feed})


@login_required
def log(request):
    digests = digests_for(user=request.user)
    status = request.GET.get("status", "")
    if status in Digest.Status.values:
        digests = digests.filter(status=status)
    query = parse_search(request.GET.get("q"))
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


# Rows per page of the campaign's lists of cadres (still to visit, visited).
CAMPAIGN_PAGE_SIZE = 50


@login_required
def campaign(request, pk: int | None = None):
    """Holiday campaign: for this year's holiday or an earlier year's (``?occurrence=``,
    the holiday's date), who is still to be visited and who has been, per unit and per
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
    occurrences = campaign_occurrences(holiday=holiday, today=today)
    if not occurrences:  # beyond the years of the lunar calendar
        raise Http404
    chosen = parse_date(request.GET.get("occurrence"))
    occurrence = chosen if chosen in occurrences else occurrences[0]
    data = holiday_campaign(user=request.user, holiday=holiday, occurrence=occurrence, today=today)
    first, last = data["window_first"], data["window_last"]
    form = GroupVisitForm(
        request.POST or None,
        initial={"visited_on": min(max(today, first), last) if first <= today else today},
        cadres=cadres_visible_to(user=request.user),
        remaining={row["id"] for row in data["remaining"]},
    )
    if request.method == "POST":
        if not can_edit_registry(user=request.user):
            raise PermissionDenied
        if form.is_valid():
            cadres = form.cleaned_data.pop("cadres")
            try:
                holiday_visits_record_group(
                    by=request.user,
                    holiday=holiday,
                    occurrence=occurrence,
                    cadres=cadres,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(count)d visits recorded for %(holiday)s.")
                    % {"count": len(cadres), "holiday": holiday.name},
                )
                url = reverse("reminders:campaign_holiday", args=[holiday.pk])
                return redirect(f"{url}?occurrence={occurrence.isoformat()}")
    return render(
        request,
        "reminders/campaign.html",
        {
            **data,
            "holidays": holidays,
            "occurrences": occurrences,
            "todo_page": Paginator(data["remaining"], CAMPAIGN_PAGE_SIZE).get_page(
                request.GET.get("todo_page")
            ),
            "done_page": Paginator(data["visited_cadres"], CAMPAIGN_PAGE_SIZE).get_page(
                request.GET.get("done_page")
            ),
            "form": form,
            "ticked": set(parse_ids(request.POST.getlist("cadres"))),
            "can_edit": can_edit_registry(user=request.user),
            # A done visit cannot be dated in the future: nothing to record before the
            # window opens.
            "window_open": first <= today,
        },
    )
