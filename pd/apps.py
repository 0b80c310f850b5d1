from django.apps import AppConfig


class PdConfig(AppConfig):
    name = "pd"
    verbose_name = "PD series and sessions"

    def ready(self):
        from cycles import practice_panels
        from districts import home as home_panels
        from measures import markers

        from . import home
        from .markers import pd_markers
        from .selectors import practice_panel

        home_panels.register(home.panel)
        markers.register(pd_markers)
        practice_panels.register(practice_panel)
