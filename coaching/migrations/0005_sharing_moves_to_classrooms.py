"""A teacher's sharing choices move from one row per teacher to each classroom's own controls
(districts.Classroom.share_with_coach / share_with_principal), so one control per classroom and
audience decides, and no second box can override it.

Nobody's access widens: a teacher who withdrew their coach keeps the coach out of every classroom;
a teacher's explicit "my principal may (not) see" becomes each classroom's principal control,
which the old per-classroom leaders' box can no longer override.
"""

from django.db import migrations


def fold_choices_into_classrooms(apps, schema_editor):
    ResultsSharing = apps.get_model("coaching", "ResultsSharing")
    Classroom = apps.get_model("districts", "Classroom")
    for choice in ResultsSharing.objects.all():
        Classroom.objects.filter(teacher_id=choice.teacher_id, school__district_id=choice.district_id).update(
            share_with_coach=choice.coach_may_see, share_with_principal=choice.principal_may_see
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0004_group_session_practice"),
        ("districts", "0004_sharing_per_audience"),
    ]

    operations = [
        migrations.RunPython(fold_choices_into_classrooms, migrations.RunPython.noop),
        migrations.DeleteModel(name="ResultsSharing"),
    ]
