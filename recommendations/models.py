"""Feedback reports, findings and recommendations (seed 003).

A research-practice partnership writes a yearly feedback report (findings → recommendations); when
the next year's plan is known, each recommendation's uptake is recorded, later how well it was
implemented, and six factors that may explain why. The counting rules live in
`recommendations.uptake`. The tables keep the names they had when these models lived in `cycles`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cycles.models import ImprovementCycle, Practice, Priority
from districts.models import District


class RecommendationArea(models.TextChoices):
    CURRICULUM = "curriculum", _("Curriculum")
    TEACHER_PD = "teacher_pd", _("Teacher professional development")
    COACHING = "coaching", pgettext_lazy("area of a recommendation", "Coaching")
    COLLABORATION = "collaboration", _("Teacher collaboration")
    SCHOOL_LEADERSHIP = "school_leadership", _("School leadership")
    DISTRICT_LEADERSHIP = "district_leadership", _("District leadership")
    STRUGGLING_STUDENTS = "struggling_students", _("Supports for struggling students")
    ASSESSMENT = "assessment", _("Assessment")


class Uptake(models.TextChoices):
    COMPLETE = "complete", _("Completely taken up")
    PARTIAL = "partial", _("Partially taken up")
    NONE = "none", _("Not taken up")
    UNKNOWN = "", _("Not yet known")


class Implementation(models.TextChoices):
    SUCCESSFUL = "successful", pgettext_lazy("implementation", "Successful")
    PARTIAL = "partial", pgettext_lazy("implementation", "Partially successful")
    UNSUCCESSFUL = "unsuccessful", pgettext_lazy("implementation", "Unsuccessful")
    NOT_ASSESSED = "", pgettext_lazy("implementation", "Not yet assessed")


class Factor(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "", pgettext_lazy("factor answer", "Unknown")


# The six factors of seed 003, in the order the page and the CSV show them: field name → question.
FACTORS = {
    "aligned_with_priorities": _("Aligned with current district priorities"),
    "builds_on_initiative": _("Builds on an ongoing mathematics initiative"),
    "authorizer_in_partnership": _("District leaders central to the partnership could authorize it"),
    "senior_leader_involved": _("Under the purview of a senior leader actively involved"),
    "staff_expertise": _("The people responsible had the necessary expertise"),
    "math_department": _("Implemented by the district mathematics department"),
}


class FeedbackReport(models.Model):
    """The partnership's yearly feedback report to the district (written Feb–May, discussed in May)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="feedback_reports")
    school_year = models.PositiveSmallIntegerField(help_text=_("Starting year: 2026 means 2026–27."))
    title = models.CharField(max_length=200)
    authors = models.CharField(max_length=300, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    meeting_on = models.DateField(_("Discussed with district leaders on"), null=True, blank=True)
    document_url = models.URLField(_("Link to the report"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cycles_feedbackreport"  # moved from cycles: the table keeps its name
        ordering = ["-school_year", "title"]
        indexes = [
            # The report list: one district's reports by year.
            models.Index(fields=["district", "school_year"], name="feedback_report_year"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("recommendations:report", args=[self.pk])

    def clean(self):
        if self.delivered_on and self.meeting_on and self.meeting_on < self.delivered_on:
            raise ValidationError({"meeting_on": _("The meeting is before the report was delivered.")})


class Finding(models.Model):
    report = models.ForeignKey(FeedbackReport, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField()
    evidence = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "cycles_finding"  # moved from cycles: the table keeps its name
        ordering = ["report", "order", "pk"]

    def __str__(self):
        return Truncator(self.text).chars(80)


class Recommendation(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    area = models.CharField(max_length=24, choices=RecommendationArea.choices)
    responsible_unit = models.CharField(_("District unit responsible"), max_length=200, blank=True)
    senior_leader = models.CharField(_("Senior leader whose purview it falls under"), max_length=200, blank=True)
    uptake = models.CharField(max_length=10, choices=Uptake.choices, blank=True, default=Uptake.UNKNOWN)
    uptake_evidence = models.TextField(_("Plan text (evidence of uptake)"), blank=True)
    implementation = models.CharField(
        max_length=12, choices=Implementation.choices, blank=True, default=Implementation.NOT_ASSESSED
    )
    implementation_evidence = models.TextField(blank=True)
    aligned_with_priorities = models.CharField(
        FACTORS["aligned_with_priorities"], max_length=3, choices=Factor.choices, blank=True
    )
    builds_on_initiative = models.CharField(
        FACTORS["builds_on_initiative"], max_length=3, choices=Factor.choices, blank=True
    )
    authorizer_in_partnership = models.CharField(
        FACTORS["authorizer_in_partnership"], max_length=3, choices=Factor.choices, blank=True
    )
    senior_leader_involved = models.CharField(
        FACTORS["senior_leader_involved"], max_length=3, choices=Factor.choices, blank=True
    )
    staff_expertise = models.CharField(FACTORS["staff_expertise"], max_length=3, choices=Factor.choices, blank=True)
    math_department = models.CharField(FACTORS["math_department"], max_length=3, choices=Factor.choices, blank=True)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="recommendations")
    practices = models.ManyToManyField(Practice, blank=True, related_name="recommendations")
    cycles = models.ManyToManyField(ImprovementCycle, blank=True, related_name="recommendations")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "cycles_recommendation"  # moved from cycles: the table keeps its name
        ordering = ["finding", "order", "pk"]
        constraints = [
            # Implementation is judged only for what the district took up (seed 003).
            models.CheckConstraint(
                condition=models.Q(implementation="") | models.Q(uptake__in=["complete", "partial"]),
                name="recommendation_implementation_needs_uptake",
            ),
        ]

    def __str__(self):
        return Truncator(self.text).chars(80)

    def clean(self):
        if self.implementation and self.uptake not in (Uptake.COMPLETE, Uptake.PARTIAL):
            msg = _("Implementation is recorded only for recommendations taken up completely or partially.")
            raise ValidationError({"implementation": msg})
