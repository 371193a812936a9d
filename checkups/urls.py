from django.urls import path

from . import views

app_name = "checkups"

# The list's .xlsx (export) and the report scans (report_file) are downloads, logged in
# the export log: reports/app_downloads.py serves them, config/urls.py adds them here.
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.campaign, name="campaign"),
    path("<int:pk>/cadres/<int:cadre_pk>/", views.record, name="record"),
]
