"""Public student survey URLs (/s/...): no login, no IP stored."""

from django.urls import path

from . import survey_views

app_name = "survey"

urlpatterns = [
    path("", survey_views.enter, name="enter"),
    path("<str:code>", survey_views.survey, name="survey"),
    path("<str:code>/thanks", survey_views.thanks, name="thanks"),
]
