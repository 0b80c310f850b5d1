"""PD series and sessions (seed 004, seed 002): connected sessions with timed agendas, attendance,
anonymous session feedback on the measures engine, and the facilitation review of math leaders.

The tables keep the names they had when these models lived in `cycles` (`cycles_pdseries`, …).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.models import District, Role, School


class PDSessionKind(models.TextChoices):
    PULL_OUT = "pull_out", _("Pull-out teacher PD")
    NETWORK = "network", _("Network session")
    LEADER_PD = "leader_pd", _("Math-leader PD")
    COLLABORATIVE = "collaborative", _("Teacher collaborative meeting")
    CO_PLANNING = "co_planning", _("Co-planning meeting")


# Who a session is for, by kind: math-leader PD and co-planning are for the leaders themselves.
TEACHER_KINDS = (PDSessionKind.PULL_OUT, PDSessionKind.NETWORK, PDSessionKind.COLLABORATIVE)


class ActivityKind(models.TextChoices):
    SOLVE = "solve", _("Solve the mathematics")
    MODEL_LESSON = "model_lesson", _("Model a lesson")
    STUDENT_WORK = "student_work", _("Analyze student work")
    VIDEO = "video", _("Analyze classroom video")
    CO_PLAN = "co_plan", _("Co-plan a lesson")
    LESSON_STUDY = "lesson_study", _("Lesson study")
    OTHER = "other", _("Other")


class FacilitationGoal(models.TextChoices):
    """The goals for math leaders' learning (seed 004, Table 1, and the fourth from its conclusion)."""

    PROGRESSION = "progression", _("Treat teacher learning as a progression")
    DESIGN = "design", _("Design supports for teachers' learning")
    PRESS = "press", _("Press on teachers' ideas")
    REORGANIZE = "reorganize", _("See new practice as reorganizing current practice, with explicit guidance")


class EvidenceDirection(models.TextChoices):
    STASIS = "stasis", _("Evidence of stasis")
    IMPROVEMENT = "improvement", _("Evidence of improvement")


class AttendanceMethod(models.TextChoices):
    CODE = "code", _("Checked in by code")
    FACILITATOR = "facilitator", _("Marked by a facilitator")


AUDIENCE_ROLES = [(r.value, r.label) for r in (Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_LEADER)]


class PDSeries(models.Model):
    """A sequence of connected sessions for one audience toward long-term goals for teachers' learning."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="pd_series")
    title = models.CharField(max_length=200)
    school_year = models.PositiveSmallIntegerField(help_text=_("The year the school year starts, e.g. 2026."))
    description = models.TextField(blank=True)
    audience_grades = models.JSONField(default=list, blank=True, help_text=_("Grades taught by the audience."))
    audience_roles = models.JSONField(default=list, blank=True, help_text=_("Roles the series is for."))
    audience_schools = models.ManyToManyField(School, blank=True, related_name="+", help_text=_("None = every school."))
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_pd_series")
    priority = models.ForeignKey(
        "cycles.Priority", on_delete=models.SET_NULL, null=True, blank=True, related_name="pd_series"
    )
    practices = models.ManyToManyField("cycles.Practice", blank=True, related_name="pd_series")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cycles_pdseries"  # moved from cycles: the table keeps its name
        ordering = ["-school_year", "title"]
        verbose_name_plural = _("PD series")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pd:series", args=[self.pk])


class SeriesGoal(models.Model):
    """A long-term goal for teachers' learning; their order is the intended progression."""

    series = models.ForeignKey(PDSeries, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)

    class Meta:
        db_table = "cycles_seriesgoal"  # moved from cycles: the table keeps its name
        ordering = ["series", "order", "pk"]

    def __str__(self):
        return self.text


class PDSession(models.Model):
    series = models.ForeignKey(PDSeries, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=PDSessionKind.choices, default=PDSessionKind.PULL_OUT)
    date = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), default=180, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    place = models.CharField(max_length=200, blank=True)
    focus = models.CharField(
        _("lesson or task"), max_length=300, blank=True, help_text=_("The lesson or task the session centres on.")
    )
    cycle = models.PositiveSmallIntegerField(
        _("math-leader cycle"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Which cycle of co-plan → math-leader PD → pilot PD → review this session belongs to."),
    )
    video_ref = models.CharField(
        _("video recording"),
        max_length=500,
        blank=True,
        help_text=_("A link to, or file name of, the session's video."),
    )
    checkin_code = models.CharField(max_length=6, blank=True)
    checkin_closes_at = models.DateTimeField(null=True, blank=True)
    feedback = models.OneToOneField(
        "measures.Administration", on_delete=models.SET_NULL, null=True, blank=True, related_name="pd_session"
    )
    memo = models.TextField(_("analytic memo"), blank=True)
    memo_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    memo_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "cycles_pdsession"  # moved from cycles: the table keeps its name
        ordering = ["series", "date", "starts_at", "pk"]
        indexes = [models.Index(fields=["checkin_code"], name="pdsession_checkin_code")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pd:session", args=[self.pk])

    def checkin_open(self, now=None) -> bool:
        return (
            bool(self.checkin_code)
            and self.checkin_closes_at is not None
            and (now or timezone.now()) < (self.checkin_closes_at)
        )


class SessionGoal(models.Model):
    """A short-term goal for this session: a reasonable next step toward the series' goals."""

    session = models.ForeignKey(PDSession, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)

    class Meta:
        db_table = "cycles_sessiongoal"  # moved from cycles: the table keeps its name
        ordering = ["session", "order", "pk"]

    def __str__(self):
        return self.text


class Activity(models.Model):
    session = models.ForeignKey(PDSession, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    learning_goal = models.TextField(blank=True, help_text=_("What participants should learn from this activity."))
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(600)])
    led_by = models.CharField(_("who leads it"), max_length=200, blank=True)
    materials = models.TextField(blank=True)
    builds_on_activity = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="built_on_by"
    )
    builds_on_goal = models.ForeignKey(
        SessionGoal, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )

    class Meta:
        db_table = "cycles_activity"  # moved from cycles: the table keeps its name
        ordering = ["session", "order", "pk"]
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    session = models.ForeignKey(PDSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pd_attendance")
    method = models.CharField(max_length=12, choices=AttendanceMethod.choices)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cycles_attendance"  # moved from cycles: the table keeps its name
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once_per_session")]

    def __str__(self):
        return f"{self.user} at {self.session}"


class FacilitationEvidence(models.Model):
    """One coded moment of a session's video: a goal, stasis or improvement, where, and why."""

    session = models.ForeignKey(PDSession, on_delete=models.CASCADE, related_name="evidence")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitation_evidence")
    goal = models.CharField(max_length=12, choices=FacilitationGoal.choices)
    direction = models.CharField(max_length=12, choices=EvidenceDirection.choices)
    clip_ref = models.CharField(
        _("clip"), max_length=500, blank=True, help_text=_("A link or file reference; blank = the session's video.")
    )
    clip_start = models.PositiveIntegerField(_("start (seconds)"), null=True, blank=True)
    clip_end = models.PositiveIntegerField(_("end (seconds)"), null=True, blank=True)
    note = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cycles_facilitationevidence"  # moved from cycles: the table keeps its name
        ordering = ["session", "clip_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clip_start__isnull=True)
                | models.Q(clip_end__isnull=True)
                | models.Q(clip_end__gte=models.F("clip_start")),
                name="evidence_clip_end_after_start",
            ),
        ]
        verbose_name_plural = _("facilitation evidence")

    def __str__(self):
        return f"{self.get_goal_display()}: {self.get_direction_display()}"

    def clip_link(self) -> str:
        """A web address that opens the clip at its moment (a media fragment, "#t=start,end"),
        or "" when the clip is a file reference rather than a link."""
        ref = self.clip_ref or self.session.video_ref
        if not ref.startswith(("https://", "http://")):
            return ""
        if self.clip_start is None or "#" in ref:
            return ref
        end = f",{self.clip_end}" if self.clip_end is not None else ""
        return f"{ref}#t={self.clip_start}{end}"
