from django.urls import path

from . import views

app_name = "checkups"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.campaign, name="campaign"),
    path("<int:pk>/list.xlsx", views.export, name="export"),
    path("<int:pk>/cadres/<int:cadre_pk>/", views.record, name="record"),
    path("files/<int:pk>/", views.report_file, name="report_file"),
]
