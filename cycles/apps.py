from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "cycles"

    def ready(self):
        from districts import home as home_panels
        from measures import markers

        from . import home, pd_home
        from .markers import classroom_markers, pd_markers

        home_panels.register(home.panel)
        home_panels.register(pd_home.panel)
        markers.register(classroom_markers)
        markers.register(pd_markers)
