"""Instrument library and editor URLs (district leaders)."""

from django.urls import path

from . import instrument_views as views

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("new/", views.instrument_create, name="create"),
    path("<int:pk>/", views.instrument_detail, name="detail"),
    path("<int:pk>/edit/", views.instrument_edit, name="edit"),
    path("<int:pk>/languages/", views.instrument_language, name="language"),
    path("<int:pk>/adapt/", views.instrument_adapt, name="adapt"),
    path("<int:pk>/history/", views.instrument_history, name="history"),
]
