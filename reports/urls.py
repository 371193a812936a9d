from django.urls import path

from . import export_views, scorecard_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("statistics/", views.statistics_index, name="index"),
    path("statistics/<slug:slug>/", views.statistics_table, name="table"),
    path("scorecard/", scorecard_views.scorecard, name="scorecard"),
    path("scorecard/list/", scorecard_views.scorecard_list, name="scorecard_list"),
    path("scorecard/weights/", scorecard_views.scorecard_weights, name="scorecard_weights"),
    path("exports/cadres/", export_views.export_cadres, name="export_cadres"),
    path("exports/visits/", export_views.export_visits, name="export_visits"),
    path("exports/attendance/", export_views.export_attendance, name="export_attendance"),
]
