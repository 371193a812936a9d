from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activities, name="list"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("teams/<int:pk>/members/new/", views.membership_new, name="membership_new"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("honours/", views.honours, name="honours"),
    path("honours/new/", views.honour_new, name="honour_new"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/new/", views.suggestion_new, name="suggestion_new"),
    path("suggestions/<int:pk>/answer/", views.suggestion_answer_view, name="suggestion_answer"),
]
