from django.urls import path

from . import honour_views, suggestion_views, team_views, views

app_name = "activities"

urlpatterns = [
    path("", views.activities, name="list"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("teams/", team_views.teams, name="teams"),
    path("teams/<int:pk>/", team_views.team, name="team"),
    path("teams/<int:pk>/members/new/", team_views.membership_new, name="membership_new"),
    path("memberships/<int:pk>/end/", team_views.membership_end, name="membership_end"),
    path("honours/", honour_views.honours, name="honours"),
    path("honours/new/", honour_views.honour_new, name="honour_new"),
    path("suggestions/", suggestion_views.suggestions, name="suggestions"),
    path("suggestions/new/", suggestion_views.suggestion_new, name="suggestion_new"),
    path(
        "suggestions/<int:pk>/answer/",
        suggestion_views.suggestion_answer_view,
        name="suggestion_answer",
    ),
]
