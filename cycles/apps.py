from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "cycles"

    def ready(self):
        from districts import home as home_panels
        from measures import markers

        from . import home
        from .markers import classroom_markers

        home_panels.register(home.panel)
        markers.register(classroom_markers)
