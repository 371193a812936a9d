from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accounts.scoping import can_see_id_numbers

from .selectors import cadre_detail


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
