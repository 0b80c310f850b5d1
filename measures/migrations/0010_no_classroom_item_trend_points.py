"""Classroom trend points are kept for the index only: a classroom's item series is summed from its
surveys' item summaries when read (measures.aggregation.classroom_item_points). The per-item
classroom points written before are dropped; nothing reads them any more."""

from django.db import migrations


def drop_classroom_item_points(apps, schema_editor):
    TrendPoint = apps.get_model("measures", "TrendPoint")
    TrendPoint.objects.filter(scope="classroom").exclude(item_order=0).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0009_trend_point_fewer_indexes"),
    ]

    operations = [
        migrations.RunPython(drop_classroom_item_points, migrations.RunPython.noop),
    ]
