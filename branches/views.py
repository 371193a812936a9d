from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import history_entries
from accounts.forms import form_add_service_errors
from accounts.scoping import can_edit_registry

from .forms import BranchFilterForm, BranchMeetingForm
from .models import BranchMeeting
from .selectors import (
    MEETINGS_PER_PAGE,
    branch_aides,
    branch_detail,
    branch_filter_units,
    branch_for_meeting_edit,
    branch_list,
    branch_list_figures,
    branch_meeting_tally,
    branch_meetings,
    branch_page,
    meeting_attendee_choices,
    meeting_for_edit,
    re_election_due,
)
from .services import branch_meeting_record, branch_meeting_update

PAGE_SIZE = 30


@login_required
def branches(request):
    form = BranchFilterForm(request.GET or None, units=branch_filter_units(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    queryset = branch_list(user=request.user, filters=filters, today=today)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    figures = branch_list_figures(branches=queryset, today=today)
    for branch in page:
        branch.ages = figures.per_branch.get(branch.pk)
        branch.re_election_due = re_election_due(branch.term_end, today=today)
    return render(
        request,
        "branches/list.html",
        {
            "form": form,
            "page": page,
            "figures": figures,
            "today": today,
        },
    )


@login_required
def detail(request, pk: int):
    branch = branch_detail(user=request.user, pk=pk)
    today = timezone.localdate()
    meetings = Paginator(branch_meetings(branch=branch), MEETINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    aides, earlier_aides = branch_aides(branch=branch)
    return render(
        request,
        "branches/detail.html",
        {
            "branch": branch,
            "aides": aides,
            "earlier_aides": earlier_aides,
            "can_edit": can_edit_registry(user=request.user),
            "info": branch_page(user=request.user, branch=branch, today=today),
            "meetings": meetings,
            "tally": branch_meeting_tally(branch=branch, year=today.year),
            "today": today,
        },
    )


@login_required
def meeting_new(request, pk: int):
    branch = branch_for_meeting_edit(user=request.user, pk=pk)
    form = BranchMeetingForm(
        request.POST or None,
        instance=BranchMeeting(branch=branch),
        initial={"held_on": timezone.localdate()},
        members=meeting_attendee_choices(branch=branch),
    )
    if request.method == "POST" and form.is_valid():
        attendees = [cadre.pk for cadre in form.cleaned_data["attendees"]]
        try:
            meeting = branch_meeting_record(
                branch=branch,
                attendee_ids=attendees,
                user=request.user,
                **form.meeting_fields(),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The meeting on %(date)s has been recorded: %(count)s attended.")
                % {"date": meeting.held_on.isoformat(), "count": len(attendees)},
            )
            return redirect("branches:detail", pk=branch.pk)
    return render(request, "branches/meeting_form.html", {"form": form, "branch": branch})


@login_required
def meeting_edit(request, pk: int):
    meeting = meeting_for_edit(user=request.user, pk=pk)
    branch = meeting.branch
    form = BranchMeetingForm(
        request.POST or None,
        instance=meeting,
        members=meeting_attendee_choices(branch=branch, meeting=meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            branch_meeting_update(
                meeting=meeting,
                attendee_ids=[cadre.pk for cadre in form.cleaned_data["attendees"]],
                user=request.user,
                **form.meeting_fields(),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect("branches:detail", pk=branch.pk)
    return render(
        request,
        "branches/meeting_form.html",
        {"form": form, "branch": branch, "meeting": meeting},
    )


@login_required
def history(request, pk: int):
    record = branch_detail(user=request.user, pk=pk)
    return render(
        request, "history.html", {"record": record, "entries": history_entries(instance=record)}
    )
