from django.urls import path

from . import views

app_name = "cadres"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("<int:pk>/", views.detail, name="detail"),
]
