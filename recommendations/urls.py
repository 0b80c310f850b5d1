from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommendations, name="index"),
    path("dashboard/", views.uptake_dashboard, name="dashboard"),
    path("dashboard.csv", views.uptake_csv, name="dashboard_csv"),
    path("import/", views.recommendation_import_view, name="import"),
    path("reports/new/", views.report_add, name="report_add"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/delete/", views.report_delete, name="report_delete"),
    path("reports/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/delete/", views.finding_delete, name="finding_delete"),
    path("findings/<int:pk>/recommendations/", views.recommendation_add, name="recommendation_add"),
    path("<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path("<int:pk>/delete/", views.recommendation_delete, name="recommendation_delete"),
]
