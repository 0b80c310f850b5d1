from django.urls import path

from . import views

app_name = "cycles"

urlpatterns = [
    path("", views.index, name="index"),
    path("tree/", views.tree, name="tree"),
    path("timeline/", views.timeline, name="timeline"),
    path("new/", views.cycle_add, name="cycle_add"),
    path("<int:pk>/", views.cycle_detail, name="cycle"),
    path("<int:pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("<int:pk>/delete/", views.cycle_delete, name="cycle_delete"),
    path("<int:pk>/measure/", views.cycle_measure, name="cycle_measure"),
    path("<int:pk>/steps/<str:kind>/", views.step_record, name="step"),
    path("priorities/", views.priorities, name="priorities"),
    path("priorities/new/", views.priority_add, name="priority_add"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/delete/", views.priority_delete, name="priority_delete"),
    path("priorities/<int:pk>/move/", views.priority_move, name="priority_move"),
    path("priorities/<int:pk>/whys/", views.why_add, name="why_add"),
    path("whys/<int:pk>/edit/", views.why_edit, name="why_edit"),
    path("whys/<int:pk>/move/", views.why_move, name="why_move"),
    path("whys/<int:pk>/delete/", views.why_delete, name="why_delete"),
    path("priorities/<int:pk>/logic-model/", views.logic_model, name="logic_model"),
    path("priorities/<int:pk>/logic-model.svg", views.logic_model_svg, name="logic_model_svg"),
    path("priorities/<int:pk>/logic-model/elements/", views.element_add, name="element_add"),
    path("priorities/<int:pk>/logic-model/arrows/", views.arrow_add, name="arrow_add"),
    path("elements/<int:pk>/edit/", views.element_edit, name="element_edit"),
    path("elements/<int:pk>/delete/", views.element_delete, name="element_delete"),
    path("elements/<int:pk>/measure/", views.outcome_link, name="outcome_link"),
    path("arrows/<int:pk>/delete/", views.arrow_delete, name="arrow_delete"),
    path("practices/", views.practices, name="practices"),
    path("practices/new/", views.practice_add, name="practice_add"),
    path("practices/<int:pk>/", views.practice_detail, name="practice"),
    path("benchmarks/", views.benchmarks, name="benchmarks"),
    path("benchmarks/<int:pk>/delete/", views.benchmark_delete, name="benchmark_delete"),
]

# Feedback reports, recommendations and their uptake (seed 003).
from . import recommendation_views as rv  # noqa: E402

urlpatterns += [
    path("recommendations/", rv.recommendations, name="recommendations"),
    path("recommendations/dashboard/", rv.uptake_dashboard, name="uptake_dashboard"),
    path("recommendations/dashboard.csv", rv.uptake_csv, name="uptake_csv"),
    path("recommendations/import/", rv.recommendation_import_view, name="recommendation_import"),
    path("reports/new/", rv.report_add, name="report_add"),
    path("reports/<int:pk>/", rv.report_detail, name="report"),
    path("reports/<int:pk>/edit/", rv.report_edit, name="report_edit"),
    path("reports/<int:pk>/delete/", rv.report_delete, name="report_delete"),
    path("reports/<int:pk>/findings/", rv.finding_add, name="finding_add"),
    path("findings/<int:pk>/edit/", rv.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/delete/", rv.finding_delete, name="finding_delete"),
    path("findings/<int:pk>/recommendations/", rv.recommendation_add, name="recommendation_add"),
    path("recommendations/<int:pk>/edit/", rv.recommendation_edit, name="recommendation_edit"),
    path("recommendations/<int:pk>/delete/", rv.recommendation_delete, name="recommendation_delete"),
]

# PD series and sessions (seed 004, seed 002).
from . import pd_views as pd  # noqa: E402

urlpatterns += [
    path("pd/", pd.index, name="pd"),
    path("pd/check-in/", pd.check_in, name="pd_checkin"),
    path("pd/check-in/<str:code>/", pd.check_in, name="pd_checkin_code"),
    path("pd/series/new/", pd.series_add, name="pd_series_add"),
    path("pd/series/<int:pk>/", pd.series_detail, name="pd_series"),
    path("pd/series/<int:pk>/edit/", pd.series_edit, name="pd_series_edit"),
    path("pd/series/<int:pk>/delete/", pd.series_delete, name="pd_series_delete"),
    path("pd/series/<int:pk>/attendance/", pd.series_attendance, name="pd_series_attendance"),
    path("pd/series/<int:pk>/attendance.csv", pd.series_attendance_csv, name="pd_series_attendance_csv"),
    path("pd/series/<int:pk>/calendar.ics", pd.series_calendar, name="pd_series_calendar"),
    path("pd/series/<int:pk>/review/", pd.series_review, name="pd_series_review"),
    path("pd/series/<int:pk>/sessions/new/", pd.session_add, name="pd_session_add"),
    path("pd/sessions/<int:pk>/", pd.session_detail, name="pd_session"),
    path("pd/sessions/<int:pk>/edit/", pd.session_edit, name="pd_session_edit"),
    path("pd/sessions/<int:pk>/delete/", pd.session_delete, name="pd_session_delete"),
    path("pd/sessions/<int:pk>/activities/new/", pd.activity_add, name="pd_activity_add"),
    path("pd/activities/<int:pk>/edit/", pd.activity_edit, name="pd_activity_edit"),
    path("pd/activities/<int:pk>/delete/", pd.activity_delete, name="pd_activity_delete"),
    path("pd/activities/<int:pk>/move/", pd.activity_move, name="pd_activity_move"),
    path("pd/sessions/<int:pk>/check-in/", pd.checkin_toggle, name="pd_checkin_toggle"),
    path("pd/sessions/<int:pk>/check-in/present/", pd.checkin_present, name="pd_checkin_present"),
    path("pd/sessions/<int:pk>/check-in/count/", pd.checkin_count, name="pd_checkin_count"),
    path("pd/sessions/<int:pk>/attendance/", pd.session_attendance, name="pd_session_attendance"),
    path("pd/sessions/<int:pk>/feedback/open/", pd.feedback_open, name="pd_feedback_open"),
    path("pd/sessions/<int:pk>/feedback/present/", pd.feedback_present, name="pd_feedback_present"),
    path("pd/sessions/<int:pk>/feedback/count/", pd.feedback_count, name="pd_feedback_count"),
    path("pd/sessions/<int:pk>/feedback/close/", pd.feedback_close, name="pd_feedback_close"),
    path("pd/sessions/<int:pk>/review/", pd.session_review, name="pd_session_review"),
    path("pd/evidence/<int:pk>/delete/", pd.evidence_delete, name="pd_evidence_delete"),
]
