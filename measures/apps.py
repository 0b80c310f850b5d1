from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"

    def ready(self):
        from districts import home as home_panels

        from . import home

        home_panels.register(home.panel)
