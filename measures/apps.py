from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"

    def ready(self):
        from districts import deletion as district_deletion
        from districts import home as home_panels
        from districts import services as district_services

        # The tasks register with Celery here, so services can publish them by name in every
        # process (web, worker, eager), never importing the tasks module themselves. survey_cache
        # connects the signal that drops a saved survey's cached join code, in every process too.
        from . import aggregation, deletion, home, survey_cache, tasks  # noqa: F401

        for panel in home.PANELS:
            home_panels.register(panel)
        district_deletion.register(deletion.before_delete)
        district_services.on_min_group_size_change(aggregation.rebuild_district)
