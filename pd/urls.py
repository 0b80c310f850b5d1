from django.urls import path

from . import views

app_name = "pd"

urlpatterns = [
    path("", views.index, name="index"),
    path("check-in/", views.check_in, name="checkin"),
    path("check-in/<str:code>/", views.check_in, name="checkin_code"),
    path("series/new/", views.series_add, name="series_add"),
    path("series/<int:pk>/", views.series_detail, name="series"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:pk>/delete/", views.series_delete, name="series_delete"),
    path("series/<int:pk>/attendance/", views.series_attendance, name="series_attendance"),
    path("series/<int:pk>/attendance.csv", views.series_attendance_csv, name="series_attendance_csv"),
    path("series/<int:pk>/calendar.ics", views.series_calendar, name="series_calendar"),
    path("series/<int:pk>/review/", views.series_review, name="series_review"),
    path("series/<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/move/", views.activity_move, name="activity_move"),
    path("sessions/<int:pk>/check-in/", views.checkin_toggle, name="checkin_toggle"),
    path("sessions/<int:pk>/check-in/present/", views.checkin_present, name="checkin_present"),
    path("sessions/<int:pk>/check-in/count/", views.checkin_count, name="checkin_count"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/feedback/open/", views.feedback_open, name="feedback_open"),
    path("sessions/<int:pk>/feedback/present/", views.feedback_present, name="feedback_present"),
    path("sessions/<int:pk>/feedback/count/", views.feedback_count, name="feedback_count"),
    path("sessions/<int:pk>/feedback/close/", views.feedback_close, name="feedback_close"),
    path("sessions/<int:pk>/review/", views.session_review, name="session_review"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
