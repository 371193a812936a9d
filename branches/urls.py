from django.urls import path

from . import views

app_name = "branches"

urlpatterns = [
    path("", views.branches, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
]
