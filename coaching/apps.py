from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"

    def ready(self):
        from cycles import practice_panels
        from districts import home as home_panels
        from measures import markers

        from . import home, selectors

        home_panels.register(home.panel)
        markers.register(selectors.classroom_markers)
        practice_panels.register(selectors.practice_panel)
