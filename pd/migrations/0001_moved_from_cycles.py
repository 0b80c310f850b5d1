"""PD series and sessions move from `cycles` to `pd`: state only. The tables keep their names
(`db_table`), so no table is renamed and no row moves.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


APP = 'pd'
MODELS = ['pdseries', 'seriesgoal', 'pdsession', 'sessiongoal', 'activity', 'attendance', 'facilitationevidence']

def _move_content_types(apps, schema_editor, *, source, target):
    """Keep permissions and admin history: the models' content types change app, not identity."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model__in=MODELS).update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="cycles", target=APP)


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source=APP, target="cycles")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cycles', '0005_pd_and_recommendations_moved_out'),
        ('districts', '0002_membership_district_role_unique'),
        ('measures', '0005_group_administrations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PDSeries',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('school_year', models.PositiveSmallIntegerField(help_text='The year the school year starts, e.g. 2026.')),
                        ('description', models.TextField(blank=True)),
                        ('audience_grades', models.JSONField(blank=True, default=list, help_text='Grades taught by the audience.')),
                        ('audience_roles', models.JSONField(blank=True, default=list, help_text='Roles the series is for.')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('audience_schools', models.ManyToManyField(blank=True, help_text='None = every school.', related_name='+', to='districts.school')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pd_series', to='districts.district')),
                        ('facilitators', models.ManyToManyField(blank=True, related_name='facilitated_pd_series', to=settings.AUTH_USER_MODEL)),
                        ('practices', models.ManyToManyField(blank=True, related_name='pd_series', to='cycles.practice')),
                        ('priority', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pd_series', to='cycles.priority')),
                    ],
                    options={
                        'verbose_name_plural': 'PD series',
                        'db_table': 'cycles_pdseries',
                        'ordering': ['-school_year', 'title'],
                    },
                ),
                migrations.CreateModel(
                    name='PDSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('kind', models.CharField(choices=[('pull_out', 'Pull-out teacher PD'), ('network', 'Network session'), ('leader_pd', 'Math-leader PD'), ('collaborative', 'Teacher collaborative meeting'), ('co_planning', 'Co-planning meeting')], default='pull_out', max_length=16)),
                        ('date', models.DateField()),
                        ('starts_at', models.TimeField(blank=True, null=True)),
                        ('minutes', models.PositiveSmallIntegerField(default=180, validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(600)], verbose_name='length (minutes)')),
                        ('place', models.CharField(blank=True, max_length=200)),
                        ('focus', models.CharField(blank=True, help_text='The lesson or task the session centres on.', max_length=300, verbose_name='lesson or task')),
                        ('cycle', models.PositiveSmallIntegerField(blank=True, help_text='Which cycle of co-plan → math-leader PD → pilot PD → review this session belongs to.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(20)], verbose_name='math-leader cycle')),
                        ('video_ref', models.CharField(blank=True, help_text="A link to, or file name of, the session's video.", max_length=500, verbose_name='video recording')),
                        ('checkin_code', models.CharField(blank=True, max_length=6)),
                        ('checkin_closes_at', models.DateTimeField(blank=True, null=True)),
                        ('memo', models.TextField(blank=True, verbose_name='analytic memo')),
                        ('memo_at', models.DateTimeField(blank=True, null=True)),
                        ('feedback', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pd_session', to='measures.administration')),
                        ('memo_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='pd.pdseries')),
                    ],
                    options={
                        'db_table': 'cycles_pdsession',
                        'ordering': ['series', 'date', 'starts_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='FacilitationEvidence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('goal', models.CharField(choices=[('progression', 'Treat teacher learning as a progression'), ('design', "Design supports for teachers' learning"), ('press', "Press on teachers' ideas"), ('reorganize', 'See new practice as reorganizing current practice, with explicit guidance')], max_length=12)),
                        ('direction', models.CharField(choices=[('stasis', 'Evidence of stasis'), ('improvement', 'Evidence of improvement')], max_length=12)),
                        ('clip_ref', models.CharField(blank=True, help_text="A link or file reference; blank = the session's video.", max_length=500, verbose_name='clip')),
                        ('clip_start', models.PositiveIntegerField(blank=True, null=True, verbose_name='start (seconds)')),
                        ('clip_end', models.PositiveIntegerField(blank=True, null=True, verbose_name='end (seconds)')),
                        ('note', models.TextField()),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('leader', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='facilitation_evidence', to=settings.AUTH_USER_MODEL)),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='pd.pdsession')),
                    ],
                    options={
                        'verbose_name_plural': 'facilitation evidence',
                        'db_table': 'cycles_facilitationevidence',
                        'ordering': ['session', 'clip_start', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('method', models.CharField(choices=[('code', 'Checked in by code'), ('facilitator', 'Marked by a facilitator')], max_length=12)),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pd_attendance', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='pd.pdsession')),
                    ],
                    options={
                        'db_table': 'cycles_attendance',
                    },
                ),
                migrations.CreateModel(
                    name='SeriesGoal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(default=0)),
                        ('text', models.CharField(max_length=300)),
                        ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='pd.pdseries')),
                    ],
                    options={
                        'db_table': 'cycles_seriesgoal',
                        'ordering': ['series', 'order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SessionGoal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(default=0)),
                        ('text', models.CharField(max_length=300)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='pd.pdsession')),
                    ],
                    options={
                        'db_table': 'cycles_sessiongoal',
                        'ordering': ['session', 'order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(default=0)),
                        ('kind', models.CharField(choices=[('solve', 'Solve the mathematics'), ('model_lesson', 'Model a lesson'), ('student_work', 'Analyze student work'), ('video', 'Analyze classroom video'), ('co_plan', 'Co-plan a lesson'), ('lesson_study', 'Lesson study'), ('other', 'Other')], max_length=16)),
                        ('title', models.CharField(max_length=200)),
                        ('learning_goal', models.TextField(blank=True, help_text='What participants should learn from this activity.')),
                        ('minutes', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(600)])),
                        ('led_by', models.CharField(blank=True, max_length=200, verbose_name='who leads it')),
                        ('materials', models.TextField(blank=True)),
                        ('builds_on_activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='built_on_by', to='pd.activity')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='pd.pdsession')),
                        ('builds_on_goal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='activities', to='pd.sessiongoal')),
                    ],
                    options={
                        'verbose_name_plural': 'activities',
                        'db_table': 'cycles_activity',
                        'ordering': ['session', 'order', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='pdsession',
                    index=models.Index(fields=['checkin_code'], name='pdsession_checkin_code'),
                ),
                migrations.AddConstraint(
                    model_name='facilitationevidence',
                    constraint=models.CheckConstraint(condition=models.Q(('clip_start__isnull', True), ('clip_end__isnull', True), ('clip_end__gte', models.F('clip_start')), _connector='OR'), name='evidence_clip_end_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='attendance',
                    constraint=models.UniqueConstraint(fields=('session', 'user'), name='attendance_once_per_session'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
