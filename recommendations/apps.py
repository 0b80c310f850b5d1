from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Feedback reports and recommendations"

    def ready(self):
        from districts import home as home_panels

        from . import home

        home_panels.register(home.panel)
