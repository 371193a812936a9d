"""Activity pages: the list and the month's calendar, an activity's page with its
participants and check-in (参加/请假/缺席 with volunteer hours), recording and editing an
activity, and its history. Teams and memberships are in ``activities.team_views``, honours
in ``activities.honour_views`` and suggestions in ``activities.suggestion_views``; they share
this module's ``list_page``."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from accounts.audit import history_entries
from accounts.forms import form_add_service_errors
from accounts.params import parse_date, parse_id
from accounts.scoping import can_edit_registry, require_editor
from cadres.picking import chosen_cadre

from .forms import ActivityFilterForm, ActivityForm, CheckInForm
from .selectors import (
    activity_attendances,
    activity_detail,
    activity_for_edit,
    activity_list,
    activity_month,
    activity_suggestions,
    attendance_editable_cadre_ids,
    branches_visible_to,
    cadres_to_choose,
    teams_visible_to,
    units_visible_to,
)
from .services import activity_attendance_record, activity_create, activity_update

PAGE_SIZE = 30


def list_page(request, queryset):
    """The page of ``?page=`` in a list of the activities app, 30 rows a page."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# Activities ------------------------------------------------------------------------------


@login_required
def activities(request):
    form = ActivityFilterForm(
        request.GET or None,
        units=units_visible_to(user=request.user),
        teams=teams_visible_to(user=request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "activities/list.html",
        {
            "form": form,
            "page": list_page(request, activity_list(user=request.user, filters=filters)),
            "can_edit": can_edit_registry(user=request.user),
            "tab": "list",
        },
    )


def _month_of(value: str | None) -> datetime.date:
    """The first day of the month in ``?month=YYYY-MM``; this month's for anything else."""
    first = parse_date(f"{value}-01")
    if first is None or not 1900 <= first.year <= 2200:
        return timezone.localdate().replace(day=1)
    return first


@login_required
def calendar_month(request):
    first = _month_of(request.GET.get("month"))
    weeks = activity_month(user=request.user, first=first)
    days_with_activities = [
        day for week in weeks for day in week if day["in_month"] and day["activities"]
    ]
    return render(
        request,
        "activities/calendar.html",
        {
            "first": first,
            "weeks": weeks,
            "days_with_activities": days_with_activities,
            "weekdays": [WEEKDAYS_ABBR[index] for index in range(7)],
            "previous": (first - datetime.timedelta(days=1)).replace(day=1),
            "next": (first + datetime.timedelta(days=31)).replace(day=1),
            "today": timezone.localdate(),
            "can_edit": can_edit_registry(user=request.user),
            "tab": "calendar",
        },
    )


@login_required
def detail(request, pk: int):
    """The activity, its list of participants and the check-in form (for editors). Another
    unit's activity in which the user's cadres took part is read only: their rows."""
    activity = activity_detail(user=request.user, pk=pk)
    can_edit = activity.is_own and can_edit_registry(user=request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    attendances = activity_attendances(user=request.user, activity=activity)
    cadres = cadres_to_choose(user=request.user)
    form = None
    if can_edit:
        form = CheckInForm(
            request.POST or None,
            attendances=attendances,
            # Other units' cadres on the list are shown, not changed.
            editable=attendance_editable_cadre_ids(
                user=request.user, cadre_ids={row.cadre_id for row in attendances}
            ),
            cadres=cadres,
            activity=activity,
        )
    if request.method == "POST" and form.is_valid():
        try:
            activity_attendance_record(
                activity=activity, rows=form.cleaned_data["rows"], user=request.user
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The check-in has been saved."))
            return redirect(activity)
    attended = [row for row in attendances if row.status == "attended"]
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "attendances": attendances,
            "attended_count": len(attended),
            "hours_total": sum(row.volunteer_hours for row in attended),
            "form": form,
            "preset": chosen_cadre(form, cadres),
            "suggestions": activity_suggestions(user=request.user, activity=activity),
            "can_edit": can_edit,
        },
    )


def _activity_choices(user) -> dict:
    return {
        "units": units_visible_to(user=user),
        "teams": teams_visible_to(user=user).filter(is_active=True),
        "branches": branches_visible_to(user=user),
    }


@login_required
def new(request):
    require_editor(user=request.user)
    choices = _activity_choices(request.user)
    initial = {"unit": request.user.unit_id}
    team_id = parse_id(request.GET.get("team"))
    if team_id is not None:
        team = get_object_or_404(choices["teams"], pk=team_id)
        initial.update(team=team, unit=team.unit_id, branch=team.branch_id)
    form = ActivityForm(request.POST or None, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request, _("The activity “%(title)s” has been saved.") % {"title": activity.title}
            )
            return redirect(activity)
    return render(request, "activities/form.html", {"form": form, "activity": None})


@login_required
def edit(request, pk: int):
    require_editor(user=request.user)
    activity = activity_for_edit(user=request.user, pk=pk)
    choices = _activity_choices(request.user)
    # A team since made inactive stays choosable on the activities it already ran.
    choices["teams"] = teams_visible_to(user=request.user).filter(
        Q(is_active=True) | Q(pk=activity.team_id)
    )
    form = ActivityForm(
        request.POST or None,
        initial=model_to_dict(activity, fields=ActivityForm._meta.fields),
        **choices,
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(activity=activity, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request, _("The activity “%(title)s” has been saved.") % {"title": activity.title}
            )
            return redirect(activity)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


@login_required
def history(request, pk: int):
    record = activity_for_edit(user=request.user, pk=pk)
    return render(
        request, "history.html", {"record": record, "entries": history_entries(instance=record)}
    )
