"""Moving PD and recommendations out of `cycles` renames no table and moves no row: a database
migrated before the move keeps every row, now read through the new apps (run on PostgreSQL in CI)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cycles", "0004_pd_sessions"), ("pd", None), ("recommendations", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_existing_database_keeps_its_pd_and_recommendation_rows():
    from districts.models import District

    latest = _latest()
    # Made with today's model: other apps' later fields stay in the database while these three roll back.
    district = District.objects.create(name="Moved", slug="moved")
    old = _migrate(BEFORE)
    series = old.get_model("cycles", "PDSeries").objects.create(
        district_id=district.pk, title="Old series", school_year=2026
    )
    old.get_model("cycles", "PDSession").objects.create(series=series, title="Old session", date="2026-10-01")
    report = old.get_model("cycles", "FeedbackReport").objects.create(
        district_id=district.pk, title="Old report", school_year=2025
    )
    finding = old.get_model("cycles", "Finding").objects.create(report=report, text="A finding")
    old.get_model("cycles", "Recommendation").objects.create(finding=finding, text="Do it", area="coaching")
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.filter(app_label="pd", model="pdseries").delete()
    ContentType.objects.get_or_create(app_label="cycles", model="pdseries")

    _migrate(latest)

    from pd.models import PDSeries, PDSession
    from recommendations.models import Recommendation

    ContentType.objects.clear_cache()
    moved = PDSeries.objects.get(pk=series.pk)
    assert moved.title == "Old series"
    assert PDSession.objects.get(series=moved).title == "Old session"
    assert Recommendation.objects.get(finding__report__title="Old report").text == "Do it"
    assert PDSeries._meta.db_table == "cycles_pdseries"
    assert ContentType.objects.filter(app_label="pd", model="pdseries").exists()
    assert not ContentType.objects.filter(app_label="cycles", model="pdseries").exists()
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert {"cycles_pdseries", "cycles_pdsession", "cycles_recommendation", "cycles_pdseries_facilitators"} <= tables
    assert not {t for t in tables if t.startswith(("pd_", "recommendations_"))}
