"""Pages of care needs (来信来访): the list of needs (by status, overdue ones apart),
raising a need for a cadre, assigning it, and resolving it with the reply. Each is
limited to the user's cadres (another unit's need answers 404); the pages that record
something answer 403 to those who only read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_edit_registry, require_editor

from .models import CadreStatus, CareNeed
from .need_forms import AssignForm, CareNeedForm, ResolveForm
from .need_selectors import care_need_for, care_need_list
from .need_services import care_need_assign, care_need_raise, care_need_resolve
from .picking import chosen_cadre, preset_cadre
from .selectors import cadres_visible_to, staff_visible_to

PAGE_SIZE = 50


@login_required
def needs(request):
    status = request.GET.get("status", "")
    if status not in CareNeed.Status.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    queryset = care_need_list(
        user=request.user, status=status, overdue=overdue, today=timezone.localdate()
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cadres/needs.html",
        {
            "page": page,
            "status": status,
            "overdue": overdue,
            "statuses": CareNeed.Status.choices,
            "today": timezone.localdate(),
            "can_edit": can_edit_registry(user=request.user),
        },
    )


@login_required
def need_new(request):
    require_editor(user=request.user)
    cadres = cadres_visible_to(user=request.user).filter(status=CadreStatus.ON_REGISTER)
    initial = {"raised_on": timezone.localdate()}
    preset = preset_cadre(request, cadres, initial)
    form = CareNeedForm(
        request.POST or None,
        initial=initial,
        cadres=cadres,
        staff=staff_visible_to(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        need = care_need_raise(by=request.user, **form.cleaned_data)
        messages.success(request, _("The need has been recorded."))
        return redirect(need.cadre.get_absolute_url())
    preset = preset or chosen_cadre(form, cadres)
    return render(request, "cadres/need_form.html", {"form": form, "preset": preset})


@login_required
def need_assign(request, pk: int):
    require_editor(user=request.user)
    need = care_need_for(user=request.user, pk=pk)
    form = AssignForm(request.POST or None, staff=staff_visible_to(user=request.user))
    if request.method == "POST" and form.is_valid():
        care_need_assign(need=need, assignee=form.cleaned_data["assignee"], by=request.user)
        messages.success(request, _("The need has been assigned."))
        return redirect("cadres:needs")
    return render(
        request, "cadres/need_action.html", {"need": need, "form": form, "action": "assign"}
    )


@login_required
def need_resolve(request, pk: int):
    require_editor(user=request.user)
    need = care_need_for(user=request.user, pk=pk)
    if need.status == CareNeed.Status.RESOLVED:
        messages.error(request, _("This need is already resolved."))
        return redirect("cadres:needs")
    form = ResolveForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            care_need_resolve(need=need, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The need is resolved and the reply recorded."))
            return redirect("cadres:needs")
    return render(
        request, "cadres/need_action.html", {"need": need, "form": form, "action": "resolve"}
    )
