"""Feedback reports, findings and recommendations move from `cycles` to `recommendations`: state
only. The tables keep their names (`db_table`), so no table is renamed and no row moves.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


APP = 'recommendations'
MODELS = ['feedbackreport', 'finding', 'recommendation']

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
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FeedbackReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('school_year', models.PositiveSmallIntegerField(help_text='Starting year: 2026 means 2026–27.')),
                        ('title', models.CharField(max_length=200)),
                        ('authors', models.CharField(blank=True, max_length=300)),
                        ('delivered_on', models.DateField(blank=True, null=True)),
                        ('meeting_on', models.DateField(blank=True, null=True, verbose_name='Discussed with district leaders on')),
                        ('document_url', models.URLField(blank=True, verbose_name='Link to the report')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback_reports', to='districts.district')),
                    ],
                    options={
                        'db_table': 'cycles_feedbackreport',
                        'ordering': ['-school_year', 'title'],
                    },
                ),
                migrations.CreateModel(
                    name='Finding',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField()),
                        ('evidence', models.TextField(blank=True)),
                        ('order', models.PositiveSmallIntegerField(default=0)),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='recommendations.feedbackreport')),
                    ],
                    options={
                        'db_table': 'cycles_finding',
                        'ordering': ['report', 'order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Recommendation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField()),
                        ('area', models.CharField(choices=[('curriculum', 'Curriculum'), ('teacher_pd', 'Teacher professional development'), ('coaching', 'Coaching'), ('collaboration', 'Teacher collaboration'), ('school_leadership', 'School leadership'), ('district_leadership', 'District leadership'), ('struggling_students', 'Supports for struggling students'), ('assessment', 'Assessment')], max_length=24)),
                        ('responsible_unit', models.CharField(blank=True, max_length=200, verbose_name='District unit responsible')),
                        ('senior_leader', models.CharField(blank=True, max_length=200, verbose_name='Senior leader whose purview it falls under')),
                        ('uptake', models.CharField(blank=True, choices=[('complete', 'Completely taken up'), ('partial', 'Partially taken up'), ('none', 'Not taken up'), ('', 'Not yet known')], default='', max_length=10)),
                        ('uptake_evidence', models.TextField(blank=True, verbose_name='Plan text (evidence of uptake)')),
                        ('implementation', models.CharField(blank=True, choices=[('successful', 'Successful'), ('partial', 'Partially successful'), ('unsuccessful', 'Unsuccessful'), ('', 'Not yet assessed')], default='', max_length=12)),
                        ('implementation_evidence', models.TextField(blank=True)),
                        ('aligned_with_priorities', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('', 'Unknown')], max_length=3, verbose_name='Aligned with current district priorities')),
                        ('builds_on_initiative', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('', 'Unknown')], max_length=3, verbose_name='Builds on an ongoing mathematics initiative')),
                        ('authorizer_in_partnership', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('', 'Unknown')], max_length=3, verbose_name='District leaders central to the partnership could authorize it')),
                        ('senior_leader_involved', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('', 'Unknown')], max_length=3, verbose_name='Under the purview of a senior leader actively involved')),
                        ('staff_expertise', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('', 'Unknown')], max_length=3, verbose_name='The people responsible had the necessary expertise')),
                        ('math_department', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('', 'Unknown')], max_length=3, verbose_name='Implemented by the district mathematics department')),
                        ('order', models.PositiveSmallIntegerField(default=0)),
                        ('cycles', models.ManyToManyField(blank=True, related_name='recommendations', to='cycles.improvementcycle')),
                        ('finding', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='recommendations.finding')),
                        ('practices', models.ManyToManyField(blank=True, related_name='recommendations', to='cycles.practice')),
                        ('priorities', models.ManyToManyField(blank=True, related_name='recommendations', to='cycles.priority')),
                    ],
                    options={
                        'db_table': 'cycles_recommendation',
                        'ordering': ['finding', 'order', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='feedbackreport',
                    index=models.Index(fields=['district', 'school_year'], name='feedback_report_year'),
                ),
                migrations.AddConstraint(
                    model_name='recommendation',
                    constraint=models.CheckConstraint(condition=models.Q(('implementation', ''), ('uptake__in', ['complete', 'partial']), _connector='OR'), name='recommendation_implementation_needs_uptake'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
