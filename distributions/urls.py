from django.urls import path

from . import views

app_name = "distributions"

# The coverage report's .xlsx (coverage_xlsx) is a download, logged in the export log:
# reports/app_downloads.py serves it, config/urls.py adds it here.
urlpatterns = [
    path("", views.distribution_index, name="list"),
    path("new/", views.distribution_new, name="new"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/", views.distribution_detail, name="detail"),
    path("<int:pk>/edit/", views.distribution_edit, name="edit"),
    path("<int:pk>/deliver/", views.distribution_deliver, name="deliver"),
    path("deliveries/<int:pk>/undo/", views.delivery_undo_confirm, name="delivery_undo"),
]
