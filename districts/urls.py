from django.urls import path

from . import views

app_name = "districts"

urlpatterns = [
    path("", views.people_list, name="people"),
    path("add/", views.person_add, name="person_add"),
    path("import/", views.roster_import, name="roster_import"),
    path("import/confirm/", views.roster_import_confirm, name="roster_import_confirm"),
    path("<int:pk>/", views.person_detail, name="person"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/roles/add/", views.membership_add, name="membership_add"),
    path("<int:pk>/roles/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
    path("<int:pk>/coaching/", views.person_coaching, name="person_coaching"),
    path("<int:pk>/deactivate/", views.person_status, {"active": False}, name="person_deactivate"),
    path("<int:pk>/reactivate/", views.person_status, {"active": True}, name="person_reactivate"),
]
