"""Team pages (文体队伍): the list of teams, a team's page with its members, honours and
recent activities, and a cadre joining or leaving a team. The activities themselves are in
``activities.views``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.forms import form_add_service_errors
from accounts.scoping import can_edit_registry, require_editor
from cadres.picking import chosen_cadre, preset_cadre

from .forms import MembershipForm, TeamFilterForm
from .selectors import (
    cadres_to_choose,
    membership_for,
    team_detail,
    team_list,
    team_members,
    team_recent_activities,
    units_visible_to,
)
from .services import team_membership_add, team_membership_end
from .views import list_page


@login_required
def teams(request):
    form = TeamFilterForm(request.GET or None, units=units_visible_to(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "activities/teams.html",
        {
            "form": form,
            "page": list_page(request, team_list(user=request.user, filters=filters)),
            "tab": "teams",
        },
    )


@login_required
def team(request, pk: int):
    team = team_detail(user=request.user, pk=pk)
    can_edit = can_edit_registry(user=request.user)
    return render(
        request,
        "activities/team.html",
        {
            "team": team,
            "members": team_members(user=request.user, team=team),
            "honours": team.honours.order_by("-year", "title"),
            "recent_activities": team_recent_activities(team=team),
            "form": MembershipForm(
                initial={"joined_on": timezone.localdate()},
                cadres=cadres_to_choose(user=request.user),
            )
            if can_edit
            else None,
            "preset": None,
            "can_edit": can_edit,
        },
    )


@login_required
def membership_new(request, pk: int):
    require_editor(user=request.user)
    team = team_detail(user=request.user, pk=pk)
    cadres = cadres_to_choose(user=request.user)
    initial = {"joined_on": timezone.localdate()}
    preset = preset_cadre(request, cadres, initial)
    form = MembershipForm(request.POST or None, initial=initial, cadres=cadres)
    if request.method == "POST" and form.is_valid():
        try:
            membership = team_membership_add(team=team, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has joined %(team)s.")
                % {"name": membership.cadre.name, "team": team.name},
            )
            return redirect(team)
    return render(
        request,
        "activities/membership_form.html",
        {"team": team, "form": form, "preset": preset or chosen_cadre(form, cadres)},
    )


@login_required
def membership_end(request, pk: int):
    """Confirm, then take a cadre off a team."""
    require_editor(user=request.user)
    membership = membership_for(user=request.user, pk=pk)
    if request.method == "POST":
        team_membership_end(membership=membership, user=request.user)
        messages.success(
            request,
            _("%(name)s has left %(team)s.")
            % {"name": membership.cadre.name, "team": membership.team.name},
        )
        return redirect(membership.team)
    return render(request, "activities/membership_end.html", {"membership": membership})
