from django.urls import path

from . import report_views, views

app_name = "funds"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("lines/new/", views.line_new, name="line_new"),
    path("lines/<int:pk>/", views.line_detail, name="line_detail"),
    path("lines/<int:pk>/adjust/", views.line_adjust, name="line_adjust"),
    path("lines/<int:pk>/history/", views.line_history, name="line_history"),
    path("standards/", views.standards, name="standards"),
    path("standards/copy/", views.standards_copy, name="standards_copy"),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard_edit"),
    path("standards/<int:pk>/delete/", views.standard_delete, name="standard_delete"),
    path("compute/", views.compute, name="compute"),
    path("expenses/", views.expenses, name="expenses"),
    path("expenses/new/", views.expense_new, name="expense_new"),
    path("expenses/<int:pk>/", views.expense_detail, name="expense_detail"),
    path("expenses/<int:pk>/void/", views.expense_void, name="expense_void"),
    path("visit-budget/", views.visit_budget, name="visit_budget"),
    path("report/", report_views.report, name="report"),
    path("report/per-head/", report_views.reach, name="reach"),
]
