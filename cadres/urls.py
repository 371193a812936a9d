from django.urls import path

from . import need_views, views, visit_views

app_name = "cadres"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("new/", views.new, name="new"),
    path("picker/", views.picker, name="picker"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/id-number/", views.id_number, name="id_number"),
    path("<int:pk>/deceased/", views.mark_deceased, name="deceased"),
    path("<int:pk>/transfer/", views.transfer_out, name="transfer"),
    path("<int:pk>/family/new/", views.family_new, name="family_new"),
    path("family/<int:pk>/edit/", views.family_edit, name="family_edit"),
    path("family/<int:pk>/remove/", views.family_remove, name="family_remove"),
    path("visits/", visit_views.visits, name="visits"),
    path("visits/new/", visit_views.visit_new, name="visit_new"),
    path("visits/todo/", visit_views.visit_todo, name="visit_todo"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/history/", visit_views.visit_history, name="visit_history"),
    path("visits/<int:pk>/complete/", visit_views.visit_complete, name="visit_complete"),
    path("visits/<int:pk>/reschedule/", visit_views.visit_reschedule, name="visit_reschedule"),
    path("visits/<int:pk>/cancel/", visit_views.visit_cancel, name="visit_cancel"),
    path("needs/", need_views.needs, name="needs"),
    path("needs/new/", need_views.need_new, name="need_new"),
    path("needs/<int:pk>/assign/", need_views.need_assign, name="need_assign"),
    path("needs/<int:pk>/resolve/", need_views.need_resolve, name="need_resolve"),
]
