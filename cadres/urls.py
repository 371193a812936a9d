from django.urls import path

from . import views

app_name = "cadres"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("picker/", views.picker, name="picker"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/deceased/", views.mark_deceased, name="deceased"),
    path("<int:pk>/transfer/", views.transfer_out, name="transfer"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
]
