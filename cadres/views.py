from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts.scoping import can_see_id_numbers

from .forms import CadreFilterForm
from .selectors import cadre_detail, cadre_list, registry_filter_choices

PAGE_SIZE = 50


@login_required
def registry(request):
    form = CadreFilterForm(request.GET or None, **registry_filter_choices(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    cadres = cadre_list(user=request.user, filters=filters, today=today)
    page = Paginator(cadres, PAGE_SIZE).get_page(request.GET.get("page"))
    for cadre in page:
        cadre.age = cadre.age_on(today)
    keep = request.GET.copy()
    keep.pop("page", None)
    sort = filters.get("sort") or "name"
    keep.pop("sort", None)
    return render(
        request,
        "cadres/registry.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "query": keep.urlencode(),
            "sort": sort,
            "show_id_number": can_see_id_numbers(user=request.user),
        },
    )


@login_required
def detail(request, pk: int):
    cadre = cadre_detail(user=request.user, pk=pk)
    reminders = cadre.reminder_items.select_related("recipient", "digest").order_by(
        "-occurrence", "kind"
    )[:30]
    return render(
        request,
        "cadres/detail.html",
        {
            "cadre": cadre,
            "age": cadre.age_on(timezone.localdate()),
            "show_id_number": can_see_id_numbers(user=request.user),
            "reminders": reminders,
        },
    )
