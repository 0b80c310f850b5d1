"""One sharing control per classroom and audience (coach, principal, district leaders).

The old per-classroom box let "school and district leaders" see the classroom: it becomes the
district leaders' control and, where set, the principal's too (the same people as before). The
coaching app's teacher-level choices are folded in by coaching's next migration.
"""

from django.db import migrations, models


def principal_follows_the_old_box(apps, schema_editor):
    Classroom = apps.get_model("districts", "Classroom")
    Classroom.objects.filter(share_with_leaders=True).update(share_with_principal=True)


class Migration(migrations.Migration):
    dependencies = [
        ("districts", "0003_district_retention_school_years"),
    ]

    operations = [
        migrations.RenameField(model_name="classroom", old_name="share_results_with_leaders", new_name="share_with_leaders"),
        migrations.AlterField(
            model_name="classroom",
            name="share_with_leaders",
            field=models.BooleanField(default=False, verbose_name="district leaders"),
        ),
        migrations.AddField(
            model_name="classroom",
            name="share_with_coach",
            field=models.BooleanField(
                default=True, help_text="Your assigned coach uses them to plan with you.", verbose_name="my coach"
            ),
        ),
        migrations.AddField(
            model_name="classroom",
            name="share_with_principal",
            field=models.BooleanField(default=False, verbose_name="my principal"),
        ),
        migrations.RunPython(principal_follows_the_old_box, migrations.RunPython.noop),
    ]
