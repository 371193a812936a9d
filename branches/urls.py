from django.urls import path

from . import aide_views, views

app_name = "branches"

urlpatterns = [
    path("", views.branches, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/aides/new/", aide_views.aide_new, name="aide_new"),
    path("aides/<int:pk>/remove/", aide_views.aide_remove, name="aide_remove"),
]
