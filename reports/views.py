from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .selectors import (
    age_band_chart,
    coverage_by_unit_chart,
    dashboard_lists,
    headline_figures,
    visits_by_month_chart,
)


@login_required
def dashboard(request):
    today = timezone.localdate()
    figures = headline_figures(user=request.user, today=today)
    return render(
        request,
        "reports/dashboard.html",
        {
            "today": today,
            "figures": figures,
            "age_chart": age_band_chart(figures),
            "visits_chart": visits_by_month_chart(user=request.user, today=today),
            "coverage_chart": coverage_by_unit_chart(user=request.user, today=today),
            **dashboard_lists(user=request.user, today=today),
        },
    )
