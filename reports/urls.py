from django.urls import path

from . import export_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("statistics/", views.statistics_index, name="index"),
    path("statistics/<slug:slug>/", views.statistics_table, name="table"),
    path("exports/cadres/", export_views.export_cadres, name="export_cadres"),
    path("exports/visits/", export_views.export_visits, name="export_visits"),
    path("exports/attendance/", export_views.export_attendance, name="export_attendance"),
]
