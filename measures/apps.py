from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"

    def ready(self):
        from districts import deletion as district_deletion
        from districts import home as home_panels

        from . import deletion, home

        for panel in home.PANELS:
            home_panels.register(panel)
        district_deletion.register(deletion.before_delete)
