"""Suggestion pages (意见建议): the list of cadres' suggestions with a count by status,
recording a suggestion (on its own or raised at an activity), and forwarding or answering
it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.forms import form_add_service_errors
from accounts.params import parse_id
from accounts.scoping import can_edit_registry, require_editor
from cadres.picking import chosen_cadre, preset_cadre

from .forms import SuggestionAnswerForm, SuggestionFilterForm, SuggestionForm
from .models import Suggestion
from .selectors import (
    activities_visible_to,
    cadres_to_choose,
    suggestion_for,
    suggestion_list,
    suggestion_status_counts,
)
from .services import suggestion_answer, suggestion_record
from .views import list_page


@login_required
def suggestions(request):
    form = SuggestionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "activities/suggestions.html",
        {
            "form": form,
            "page": list_page(request, suggestion_list(user=request.user, filters=filters)),
            "status": filters.get("status", ""),
            "status_counts": suggestion_status_counts(user=request.user),
            "can_edit": can_edit_registry(user=request.user),
            "tab": "suggestions",
        },
    )


@login_required
def suggestion_new(request):
    require_editor(user=request.user)
    cadres = cadres_to_choose(user=request.user)
    activities = activities_visible_to(user=request.user).order_by("-starts_at", "-id")
    initial = {"submitted_on": timezone.localdate()}
    preset = preset_cadre(request, cadres, initial)
    activity_id = parse_id(request.GET.get("activity"))
    if activity_id is not None:
        initial["activity"] = get_object_or_404(activities, pk=activity_id)
    form = SuggestionForm(
        request.POST or None, initial=initial, cadres=cadres, activities=activities
    )
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = suggestion_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The suggestion “%(title)s” has been recorded.") % {"title": suggestion.title},
            )
            return redirect(suggestion.activity or "activities:suggestions")
    return render(
        request,
        "activities/suggestion_form.html",
        {"form": form, "preset": preset or chosen_cadre(form, cadres)},
    )


@login_required
def suggestion_answer_view(request, pk: int):
    """Forward a suggestion or record the answer to it."""
    require_editor(user=request.user)
    suggestion = suggestion_for(user=request.user, pk=pk)
    initial = model_to_dict(suggestion, fields=SuggestionAnswerForm._meta.fields)
    if suggestion.status == Suggestion.Status.RECEIVED:
        initial["status"] = Suggestion.Status.FORWARDED
    elif suggestion.status == Suggestion.Status.FORWARDED:
        initial["status"] = Suggestion.Status.ANSWERED
    form = SuggestionAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            suggestion_answer(suggestion=suggestion, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The suggestion has been updated."))
            return redirect("activities:suggestions")
    return render(
        request, "activities/suggestion_answer.html", {"suggestion": suggestion, "form": form}
    )
