"""Content-focused coaching: cycles with a teacher, their events, group sessions, observation rubrics.

Coaching notes are confidential to the coach and the teacher (districts.access decides who sees
what); principals and district leaders see that a cycle exists, its focus and how many events it
has. The focus practice is the coach's words, tied to a practice of the library when there is one.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from districts.models import Classroom, District, School
from measures.models import Administration


class CycleStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("coaching cycle status", "Active")
    PAUSED = "paused", pgettext_lazy("coaching cycle status", "Paused")
    COMPLETED = "completed", pgettext_lazy("coaching cycle status", "Completed")


class CoachingCycle(models.Model):
    """A coach and a teacher working toward an improvement goal the teacher has made their own."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="coaching_cycles")
    # The teacher's school: principals see their school's coaching activity in aggregate.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="coaching_cycles")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cycles_as_coach")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cycles_as_teacher")
    classroom = models.ForeignKey(
        Classroom,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_cycles",
        help_text=_("The class the cycle works in; its surveys can be linked as evidence."),
    )
    school_year = models.PositiveSmallIntegerField(help_text=_("Starting year: 2026 means 2026–27."))
    focus_practice = models.CharField(
        max_length=200, help_text=_("The instructional practice the cycle works on, e.g. 'Pressing for reasoning'.")
    )
    practice = models.ForeignKey(
        "cycles.Practice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_cycles",
        help_text=_("The evidence-based practice from the library that the focus serves."),
    )
    goal = models.TextField(_("negotiated goal"), help_text=_("The improvement goal, in the teacher's own words."))
    started_from_administration = models.ForeignKey(
        Administration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The survey the goal came from."),
    )
    started_from_observation = models.ForeignKey(
        "Observation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The observation the goal came from."),
    )
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.ACTIVE)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="coaching_cycle_ends_after_start",
            ),
        ]
        indexes = [
            # The caseload dashboard: a coach's cycles this year.
            models.Index(fields=["coach", "school_year", "status"], name="coaching_cycle_coach_year"),
            # A teacher's own page and the principal's school view.
            models.Index(fields=["teacher", "school_year"], name="coaching_cycle_teacher_year"),
            models.Index(fields=["school", "school_year"], name="coaching_cycle_school_year"),
        ]

    def __str__(self):
        return f"{self.teacher} · {self.focus_practice}"

    def get_absolute_url(self):
        return reverse("coaching:cycle", args=[self.pk])

    def clean(self):
        if self.coach_id and self.coach_id == self.teacher_id:
            raise ValidationError(_("A coach cannot coach themselves."))
        if self.classroom_id and self.teacher_id and self.classroom.teacher_id != self.teacher_id:
            raise ValidationError({"classroom": _("The classroom must be the teacher's own.")})
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The cycle cannot end before it starts.")})

    @property
    def is_active(self) -> bool:
        return self.status == CycleStatus.ACTIVE


class EventKind(models.TextChoices):
    PRE_CONFERENCE = "pre_conference", _("Pre-conference / co-plan")
    MODELING = "modeling", _("Modeling")
    CO_TEACHING = "co_teaching", _("Co-teaching")
    OBSERVATION = "observation", _("Observation with feedback")
    DEBRIEF = "debrief", _("Debrief")
    OTHER = "other", pgettext_lazy("kind of coaching event", "Other")


# Classroom collaboration: the coach and teacher work together in the lesson.
CLASSROOM_KINDS = (EventKind.MODELING, EventKind.CO_TEACHING, EventKind.OBSERVATION)


class CoachingEvent(models.Model):
    """One meeting or lesson within a cycle. Every text field is a coaching note (coach and teacher only)."""

    cycle = models.ForeignKey(CoachingCycle, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    date = models.DateField(default=timezone.localdate)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    lesson = models.CharField(_("lesson and task"), max_length=300, blank=True)
    math_goals = models.TextField(_("mathematical goals for students"), blank=True)
    anticipated_strategies = models.TextField(_("anticipated student strategies"), blank=True)
    what_was_tried = models.TextField(blank=True)
    feedback = models.TextField(_("feedback given"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    note = models.TextField(blank=True)
    note_is_private = models.BooleanField(
        _("keep the note private to me"), default=False, help_text=_("Only you see the note; the teacher does not.")
    )
    administrations = models.ManyToManyField(
        Administration, blank=True, related_name="coaching_events", help_text=_("Surveys of the cycle's classroom.")
    )
    observations = models.ManyToManyField("Observation", blank=True, related_name="coaching_events")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "created_at", "pk"]
        indexes = [
            # Timelines per cycle, and the last contact per coachee on the caseload.
            models.Index(fields=["cycle", "date"], name="coaching_event_cycle_date"),
        ]

    def __str__(self):
        return gettext("%(kind)s on %(date)s") % {"kind": self.get_kind_display(), "date": f"{self.date:%Y-%m-%d}"}

    def get_absolute_url(self):
        return f"{self.cycle.get_absolute_url()}#event-{self.pk}"


class GroupSessionKind(models.TextChoices):
    ENGAGE_MATH = "engage_math", _("Engaging in mathematics")
    STUDENT_WORK = "student_work", _("Analyzing student work")
    CLASSROOM_VIDEO = "classroom_video", _("Analyzing classroom video")
    LESSON_STUDY = "lesson_study", _("Lesson study")
    CO_PLANNING = "co_planning", _("Co-planning")


class GroupSession(models.Model):
    """A teacher collaborative meeting a coach leads."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="group_sessions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="group_sessions")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_sessions_led")
    date = models.DateField(default=timezone.localdate)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=GroupSessionKind.choices)
    focus_practice = models.CharField(max_length=200, blank=True)
    practice = models.ForeignKey(
        "cycles.Practice", on_delete=models.SET_NULL, null=True, blank=True, related_name="group_sessions"
    )
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="group_sessions")
    notes = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["school", "date"], name="group_session_school_date")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.school} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("coaching:group_session", args=[self.pk])


# --- observation rubrics ---------------------------------------------------------------------


class Rubric(models.Model):
    """One version of an observation rubric. Versions share a `lineage`; observations keep theirs."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rubrics",
        help_text=_("Empty for the starter rubric every district may use."),
    )
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    adapted_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_current = models.BooleanField(default=True, help_text=_("The version new observations use."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="rubric_unique_version"),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})" if self.version > 1 else self.name

    def get_absolute_url(self):
        return reverse("coaching:rubric", args=[self.pk])


class RubricDimension(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["rubric", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "order"], name="rubric_dimension_unique_order"),
        ]

    def __str__(self):
        return self.name


class RubricLevel(models.Model):
    dimension = models.ForeignKey(RubricDimension, on_delete=models.CASCADE, related_name="levels")
    score = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100, blank=True)
    descriptor = models.TextField()

    class Meta:
        ordering = ["dimension", "score"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "score"], name="rubric_level_unique_score"),
        ]

    def __str__(self):
        return f"{self.score} {self.label}".strip()


class ObservationSubject(models.TextChoices):
    LESSON = "lesson", _("A classroom lesson")
    PD_SESSION = "pd_session", _("A PD session")


class Observation(models.Model):
    """A lesson (or PD session) scored on one rubric version, with evidence per dimension."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="observations")
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observations_made")
    subject = models.CharField(max_length=12, choices=ObservationSubject.choices, default=ObservationSubject.LESSON)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observations_of",
        help_text=_("The teacher whose lesson was observed."),
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="observations")
    classroom = models.ForeignKey(Classroom, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cycle = models.ForeignKey(
        CoachingCycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="cycle_observations"
    )
    pd_session = models.CharField(_("PD session"), max_length=200, blank=True)
    # RESTRICT: a rubric version with scores cannot be deleted alone (its district's deletion still cascades).
    rubric = models.ForeignKey(Rubric, on_delete=models.RESTRICT, related_name="observations")
    observed_on = models.DateField(default=timezone.localdate)
    lesson = models.CharField(_("lesson and task"), max_length=300, blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-observed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject="pd_session") | models.Q(teacher__isnull=False),
                name="observation_lesson_has_teacher",
            ),
        ]
        indexes = [
            # A teacher's observation scores over time.
            models.Index(fields=["teacher", "observed_on"], name="observation_teacher_date"),
        ]

    def __str__(self):
        who = self.teacher if self.subject == ObservationSubject.LESSON else self.pd_session or gettext("PD session")
        return gettext("Observation of %(who)s on %(date)s") % {"who": who, "date": f"{self.observed_on:%Y-%m-%d}"}

    def get_absolute_url(self):
        return reverse("coaching:observation", args=[self.pk])

    def clean(self):
        if self.subject == ObservationSubject.LESSON and not self.teacher_id:
            raise ValidationError({"teacher": _("Say whose lesson was observed.")})
        if self.subject == ObservationSubject.PD_SESSION and not self.pd_session:
            raise ValidationError({"pd_session": _("Name the PD session.")})
        if self.classroom_id and self.teacher_id and self.classroom.teacher_id != self.teacher_id:
            raise ValidationError({"classroom": _("The classroom must be the observed teacher's.")})


class DimensionScore(models.Model):
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(RubricDimension, on_delete=models.RESTRICT, related_name="+")
    score = models.PositiveSmallIntegerField()
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["observation", "dimension__order"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "dimension"], name="dimension_score_unique"),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.score}"

    def clean(self):
        if self.dimension_id and self.observation_id and self.dimension.rubric_id != self.observation.rubric_id:
            raise ValidationError({"dimension": _("The dimension belongs to another rubric.")})
        if self.dimension_id and not self.dimension.levels.filter(score=self.score).exists():
            raise ValidationError({"score": _("Not a level of this dimension.")})
