from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("log/", views.log, name="log"),
    path("digests/<int:pk>/resend/", views.resend, name="resend"),
    path("campaign/", views.campaign, name="campaign"),
    path("campaign/<int:pk>/", views.campaign, name="campaign_holiday"),
    path("calendar/reset/", views.feed_reset, name="feed_reset"),
    # Public: the secret token is the key (calendar apps cannot sign in).
    path("feed/<slug:token>.ics", views.feed, name="feed"),
]
