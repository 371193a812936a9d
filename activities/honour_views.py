"""Honour pages (荣誉): the list of honours by year and recording one for a cadre, a team or
a party branch, which may be preset from the page the user came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.forms import form_add_service_errors
from accounts.params import parse_id
from accounts.scoping import can_edit_registry, require_editor
from cadres.picking import chosen_cadre, preset_cadre

from .forms import HonourFilterForm, HonourForm
from .selectors import (
    RecipientKind,
    branches_visible_to,
    cadres_to_choose,
    honour_list,
    honour_years,
    teams_visible_to,
)
from .services import honour_record
from .views import list_page


@login_required
def honours(request):
    form = HonourFilterForm(request.GET or None, years=honour_years(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "activities/honours.html",
        {
            "form": form,
            "page": list_page(request, honour_list(user=request.user, filters=filters)),
            "can_edit": can_edit_registry(user=request.user),
            "tab": "honours",
        },
    )


@login_required
def honour_new(request):
    require_editor(user=request.user)
    cadres = cadres_to_choose(user=request.user)
    branches = branches_visible_to(user=request.user)
    teams = teams_visible_to(user=request.user)
    initial = {"year": timezone.localdate().year}
    preset = preset_cadre(request, cadres, initial)
    for kind, choices in ((RecipientKind.TEAM, teams), (RecipientKind.BRANCH, branches)):
        pk = parse_id(request.GET.get(kind))
        if pk is not None:
            initial[kind] = get_object_or_404(choices, pk=pk)
            initial["recipient_kind"] = kind
    form = HonourForm(
        request.POST or None, initial=initial, cadres=cadres, branches=branches, teams=teams
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields.pop("recipient_kind")
        try:
            honour = honour_record(user=request.user, **fields)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The honour “%(title)s” for %(recipient)s has been recorded.")
                % {"title": honour.title, "recipient": honour.recipient},
            )
            return redirect(honour.team or "activities:honours")
    return render(
        request,
        "activities/honour_form.html",
        {"form": form, "preset": preset or chosen_cadre(form, cadres)},
    )
