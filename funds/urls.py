from django.urls import path

from . import expense_views, report_views, standard_views, views

app_name = "funds"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("lines/new/", views.line_new, name="line_new"),
    path("lines/<int:pk>/", views.line_detail, name="line_detail"),
    path("lines/<int:pk>/adjust/", views.line_adjust, name="line_adjust"),
    path("lines/<int:pk>/history/", views.line_history, name="line_history"),
    path("standards/", standard_views.standards, name="standards"),
    path("standards/copy/", standard_views.standards_copy, name="standards_copy"),
    path("standards/<int:pk>/edit/", standard_views.standard_edit, name="standard_edit"),
    path("standards/<int:pk>/delete/", standard_views.standard_delete, name="standard_delete"),
    path("compute/", standard_views.compute, name="compute"),
    path("expenses/", expense_views.expenses, name="expenses"),
    path("expenses/new/", expense_views.expense_new, name="expense_new"),
    path("expenses/<int:pk>/", expense_views.expense_detail, name="expense_detail"),
    path("expenses/<int:pk>/void/", expense_views.expense_void, name="expense_void"),
    path("visit-budget/", expense_views.visit_budget, name="visit_budget"),
    path("report/", report_views.report, name="report"),
    path("report/per-head/", report_views.reach, name="reach"),
]
