from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("log/", views.log, name="log"),
    path("digests/<int:pk>/resend/", views.resend, name="resend"),
    path("campaign/", views.campaign, name="campaign"),
    path("campaign/<int:pk>/", views.campaign, name="campaign_holiday"),
]
