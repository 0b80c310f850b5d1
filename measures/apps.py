from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"

    def ready(self):
        from districts import deletion as district_deletion
        from districts import home as home_panels
        from districts import services as district_services

        # The tasks register with Celery here, so services can publish them by name in every
        # process (web, worker, eager), never importing the tasks module themselves.
        from . import aggregation, deletion, home, tasks  # noqa: F401

        for panel in home.PANELS:
            home_panels.register(panel)
        district_deletion.register(deletion.before_delete)
        district_services.on_min_group_size_change(aggregation.rebuild_district)
