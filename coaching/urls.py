from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.index, name="index"),
    path("teachers/<int:teacher_id>/", views.teacher, name="teacher"),
    path("teachers/<int:teacher_id>/cycles/new/", views.cycle_start, name="cycle_start"),
    path("teachers/<int:teacher_id>/observations/new/", views.observation_create, name="observation_create"),
    path("cycles/<int:cycle_id>/", views.cycle, name="cycle"),
    path("cycles/<int:cycle_id>/edit/", views.cycle_edit, name="cycle_edit"),
    path("cycles/<int:cycle_id>/events/new/", views.event_create, name="event_create"),
    path("events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:event_id>/delete/", views.event_delete, name="event_delete"),
    path("observations/<int:observation_id>/", views.observation, name="observation"),
    path("group-sessions/", views.group_sessions, name="group_sessions"),
    path("group-sessions/new/", views.group_session_create, name="group_session_create"),
    path("group-sessions/<int:session_id>/", views.group_session, name="group_session"),
    path("group-sessions/<int:session_id>/edit/", views.group_session_edit, name="group_session_edit"),
    path("group-sessions/<int:session_id>/delete/", views.group_session_delete, name="group_session_delete"),
    path("rubrics/", views.rubrics, name="rubrics"),
    path("rubrics/<int:rubric_id>/", views.rubric, name="rubric"),
    path("rubrics/<int:rubric_id>/adapt/", views.rubric_adapt, name="rubric_adapt"),
    path("rubrics/<int:rubric_id>/edit/", views.rubric_edit, name="rubric_edit"),
    path("schools/<int:school_id>/", views.school, name="school"),
]
