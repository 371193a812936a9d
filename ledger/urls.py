from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("template/", views.template, name="template"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("<int:pk>/import/", views.commit, name="commit"),
]
