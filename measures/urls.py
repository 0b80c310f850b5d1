from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("", views.index, name="index"),
    path("classrooms/<int:classroom_id>/", views.classroom, name="classroom"),
    path("classrooms/<int:classroom_id>/start/", views.administration_start, name="administration_start"),
    path("sharing/", views.sharing, name="sharing"),
    path("classrooms/<int:classroom_id>/export.csv", views.classroom_export, name="classroom_export"),
    path("surveys/<int:administration_id>/", views.administration, name="administration"),
    path("surveys/<int:administration_id>/present/", views.administration_present, name="administration_present"),
    path("surveys/<int:administration_id>/count/", views.administration_count, name="administration_count"),
    path("surveys/<int:administration_id>/close/", views.administration_close, name="administration_close"),
    path("schools/<int:school_id>/", views.school, name="school"),
    path("districts/<int:district_id>/", views.district, name="district"),
    path("districts/<int:district_id>/export.csv", views.district_export, name="district_export"),
]
