from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"

    def ready(self):
        from districts import deletion as district_deletion
        from districts import home as home_panels

        from . import (
            deletion,
            home,
            tasks,  # noqa: F401 - registers the tasks in every process: web publishes them by name
        )

        home_panels.register(home.panel)
        district_deletion.register(deletion.before_delete)
