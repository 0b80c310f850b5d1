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
