from django.urls import path

from . import report_views, views

app_name = "assistance"

# A supporting document (document) and the reports' .xlsx (report_cases_xlsx,
# report_scorecard_xlsx) are downloads, logged in the export log: reports/app_downloads.py
# serves them, config/urls.py adds them here.
urlpatterns = [
    path("", views.case_index, name="list"),
    path("pending/", views.pending, name="pending"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/history/", views.case_history, name="history"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/submit/", views.case_submit, name="submit"),
    path("<int:pk>/review/", views.case_review, name="review"),
    path("<int:pk>/decide/", views.case_decide, name="decide"),
    path("<int:pk>/pay/", views.case_pay, name="pay"),
    path("<int:pk>/close/", views.case_close, name="close"),
    path("<int:pk>/documents/new/", views.document_new, name="document_new"),
    path("reports/cases/", report_views.case_report, name="report_cases"),
    path("reports/scorecard/", report_views.scorecard_report, name="report_scorecard"),
]
