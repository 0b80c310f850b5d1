"""Plan and improve: priorities (+ Five Whys), the practice library, logic models, and improvement
cycles (PDSA / ROCI, nested) with their steps and the practical measure each cycle is judged by.

Rules on a model's own fields live in its `clean()`; writes that touch several rows live in
`cycles.services`. A measure link names a series of `measures.TrendPoint` (scope, scope id,
instrument lineage, item order or the index), so a cycle's Study step reads the same numbers the
dashboards show.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from districts.models import Classroom, District, School

MAX_NESTING = 6  # network → district → school → teacher → classroom → one more, at most


# --- priorities -----------------------------------------------------------------------------


class PriorityStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("priority status", "Proposed")
    ACTIVE = "active", pgettext_lazy("priority status", "Active")
    RETIRED = "retired", pgettext_lazy("priority status", "Retired")


class Priority(models.Model):
    """What a district (or one school) chose to improve: the problem of practice and its context."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="priorities")
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="priorities",
        help_text=_("Empty for a district priority."),
    )
    title = models.CharField(max_length=200)
    problem_of_practice = models.TextField(help_text=_("What students and teachers experience that should change."))
    data_reviewed = models.TextField(blank=True, help_text=_("What the team looked at, and what it showed."))
    data_links = models.TextField(blank=True, help_text=_("Links to measure dashboards, one per line."))
    context = models.TextField(_("School and classroom context"), blank=True)
    participants = models.TextField(_("Who took part"), blank=True)
    rank = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=PriorityStatus.choices, default=PriorityStatus.PROPOSED)
    school_year = models.PositiveSmallIntegerField(help_text=_("Starting year: 2026 means 2026–27."))
    practices = models.ManyToManyField(
        "Practice",
        blank=True,
        related_name="priorities",
        help_text=_("Evidence-based practices that address this priority."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-school_year", "rank", "title"]
        verbose_name_plural = _("priorities")
        indexes = [
            # The priorities board: one district's year, by rank.
            models.Index(fields=["district", "school_year", "rank"], name="priority_board"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cycles:priority", args=[self.pk])

    def clean(self):
        if self.school_id and self.district_id and self.school.district_id != self.district_id:
            raise ValidationError({"school": gettext("That school is in another district.")})

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.data_links.splitlines() if line.strip()]


class FiveWhy(models.Model):
    """One step of a Five Whys chain: why? → because. The last step's answer is the root cause."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="whys")
    order = models.PositiveSmallIntegerField()
    why = models.CharField(max_length=300)
    because = models.TextField()

    class Meta:
        ordering = ["priority", "order"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "order"], name="five_why_unique_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.why}"


# --- practice library -----------------------------------------------------------------------


class PracticeSource(models.TextChoices):
    NCTM = "nctm", _("NCTM Mathematics Teaching Practices")
    WWC = "wwc", _("What Works Clearinghouse practice guide")
    DISTRICT = "district", _("Our district")


class Practice(models.Model):
    """An evidence-based practice. The NCTM and WWC entries ship with the app (district empty)."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practices",
        help_text=_("Empty for the published practices every district shares."),
    )
    source = models.CharField(max_length=10, choices=PracticeSource.choices)
    code = models.CharField(max_length=40, help_text=_("A short reference, e.g. 'NCTM 4' or 'NCEE 2012-4055 · 3'."))
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    guide = models.CharField(max_length=300, blank=True, help_text=_("The practice guide or book it comes from."))
    grade_band = models.CharField(max_length=40, blank=True)
    url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["source", "guide", "order", "title"]
        constraints = [
            # The data migration finds the shipped entries again by code.
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(district__isnull=True), name="practice_unique_shared_code"
            ),
            models.UniqueConstraint(fields=["district", "code"], name="practice_unique_code_in_district"),
        ]

    def __str__(self):
        return f"{self.code}: {self.title}" if self.code else self.title

    def get_absolute_url(self):
        return reverse("cycles:practice", args=[self.pk])


# --- measure links --------------------------------------------------------------------------


class MeasureScope(models.TextChoices):
    # The same values as measures.models.Scope, so a link names a TrendPoint series.
    CLASSROOM = "classroom", _("Classroom")
    SCHOOL = "school", _("School")
    DISTRICT = "district", _("District")


class MeasureLink(models.Model):
    """Which practical-measure series shows progress: instrument lineage, item (0 = the index), scope."""

    lineage = models.UUIDField(help_text=_("The instrument's lineage (all its versions)."))
    item_order = models.PositiveSmallIntegerField(default=0, help_text=_("Item position; 0 for the overall index."))
    scope = models.CharField(max_length=10, choices=MeasureScope.choices)
    scope_id = models.PositiveBigIntegerField(help_text=_("Classroom, school or district id, by scope."))
    target_percent = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of productive answers aimed for, in percent."),
    )

    class Meta:
        abstract = True


class CycleMeasure(MeasureLink):
    """The practical measure a cycle is judged by, with the weeks that count as its baseline."""

    cycle = models.OneToOneField("ImprovementCycle", on_delete=models.CASCADE, related_name="measure")
    baseline_start = models.DateField(null=True, blank=True, help_text=_("Empty: eight weeks before the cycle."))
    baseline_end = models.DateField(null=True, blank=True, help_text=_("Empty: the day before the cycle starts."))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baseline_start__isnull=True)
                | models.Q(baseline_end__isnull=True)
                | models.Q(baseline_start__lte=models.F("baseline_end")),
                name="cycle_measure_baseline_order",
            )
        ]

    def __str__(self):
        return f"Measure of {self.cycle}"

    def clean(self):
        if self.baseline_start and self.baseline_end and self.baseline_start > self.baseline_end:
            raise ValidationError({"baseline_end": gettext("The baseline ends before it starts.")})

    def baseline_window(self, cycle_start: date) -> tuple[date, date]:
        end = self.baseline_end or cycle_start - timedelta(days=1)
        start = self.baseline_start or end - timedelta(weeks=8) + timedelta(days=1)
        return start, end


# --- logic models ---------------------------------------------------------------------------


class ElementKind(models.TextChoices):
    INPUTS = "inputs", _("Inputs and resources")
    ACTIVITIES = "activities", _("Activities")
    OUTPUTS = "outputs", _("Outputs")
    SHORT = "short", _("Short-term outcomes")
    MEDIUM = "medium", _("Medium-term outcomes")
    LONG = "long", _("Long-term outcomes")
    ASSUMPTIONS = "assumptions", _("Assumptions")
    EXTERNAL = "external", _("External factors")


COLUMN_KINDS = [ElementKind.INPUTS, ElementKind.ACTIVITIES, ElementKind.OUTPUTS, ElementKind.SHORT,
                ElementKind.MEDIUM, ElementKind.LONG]  # fmt: skip
OUTCOME_KINDS = {ElementKind.SHORT, ElementKind.MEDIUM, ElementKind.LONG}


class LogicModel(models.Model):
    """How a priority's work is meant to lead to its outcomes."""

    priority = models.OneToOneField(Priority, on_delete=models.CASCADE, related_name="logic_model")
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Logic model: {self.priority}"

    def get_absolute_url(self):
        return reverse("cycles:logic_model", args=[self.priority_id])


class LogicElement(models.Model):
    logic_model = models.ForeignKey(LogicModel, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(max_length=12, choices=ElementKind.choices)
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["logic_model", "kind", "order", "pk"]

    def __str__(self):
        return self.text

    @property
    def is_outcome(self) -> bool:
        return self.kind in OUTCOME_KINDS


class LogicArrow(models.Model):
    """'This leads to that': an arrow between two elements of one logic model."""

    logic_model = models.ForeignKey(LogicModel, on_delete=models.CASCADE, related_name="arrows")
    source = models.ForeignKey(LogicElement, on_delete=models.CASCADE, related_name="arrows_out")
    target = models.ForeignKey(LogicElement, on_delete=models.CASCADE, related_name="arrows_in")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="logic_arrow_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="logic_arrow_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.source} → {self.target}"

    def clean(self):
        if self.source_id and self.target_id:
            if self.source_id == self.target_id:
                raise ValidationError(gettext("An arrow needs two different boxes."))
            if {self.source.logic_model_id, self.target.logic_model_id} != {self.logic_model_id}:
                raise ValidationError(gettext("Both boxes must belong to this logic model."))


class OutcomeMeasure(MeasureLink):
    """The practical measure that shows an outcome of a logic model."""

    element = models.OneToOneField(LogicElement, on_delete=models.CASCADE, related_name="measure")

    def __str__(self):
        return f"Measure of {self.element}"

    def clean(self):
        if self.element_id and not self.element.is_outcome:
            raise ValidationError(gettext("Only outcomes are linked to measures."))


# --- improvement cycles ---------------------------------------------------------------------


class CycleKind(models.TextChoices):
    PDSA = "pdsa", _("PDSA (plan, do, study, act)")
    ROCI = "roci", _("ROCI (results-oriented cycle of inquiry)")


class CycleScope(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    TEACHER = "teacher", _("Teacher (own practice)")
    SCHOOL = "school", _("School")
    DISTRICT = "district", _("District")
    NETWORK = "network", _("Network")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")


class CycleStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("cycle status", "Planned")
    ACTIVE = "active", pgettext_lazy("cycle status", "Active")
    DONE = "done", pgettext_lazy("cycle status", "Done")
    ABANDONED = "abandoned", pgettext_lazy("cycle status", "Abandoned")


class StepKind(models.TextChoices):
    PLAN = "plan", pgettext_lazy("cycle step", "Plan")
    DO = "do", pgettext_lazy("cycle step", "Do")
    STUDY = "study", pgettext_lazy("cycle step", "Study")
    ACT = "act", pgettext_lazy("cycle step", "Act")
    GOALS = "goals", pgettext_lazy("cycle step", "Set goals")
    ASSESS = "assess", pgettext_lazy("cycle step", "Assess")
    REFLECT = "reflect", pgettext_lazy("cycle step", "Reflect and adjust")


STEPS = {
    CycleKind.PDSA: [StepKind.PLAN, StepKind.DO, StepKind.STUDY, StepKind.ACT],
    CycleKind.ROCI: [StepKind.GOALS, StepKind.PLAN, StepKind.ACT, StepKind.ASSESS, StepKind.REFLECT],
}
DATA_STEPS = {StepKind.STUDY, StepKind.ASSESS}  # the steps that show the run chart


class Decision(models.TextChoices):
    ADOPT = "adopt", _("Adopt: keep doing it")
    ADAPT = "adapt", _("Adapt: change it and try again")
    ABANDON = "abandon", _("Abandon: stop")


class ImprovementCycle(models.Model):
    """A PDSA or ROCI cycle. Cycles nest: a quarterly school ROCI holds teachers' weekly PDSAs."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="improvement_cycles")
    kind = models.CharField(max_length=4, choices=CycleKind.choices, default=CycleKind.PDSA)
    title = models.CharField(max_length=200)
    aim = models.TextField(help_text=_("What will improve, by how much, by when."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cycles")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="team_cycles")
    scope = models.CharField(max_length=10, choices=CycleScope.choices, default=CycleScope.CLASSROOM)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="cycles")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, null=True, blank=True, related_name="cycles")
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.WEEKLY)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", help_text=_("Nested in.")
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups", help_text=_("Follows up.")
    )
    priority = models.ForeignKey(Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="cycles")
    practice = models.ForeignKey(Practice, on_delete=models.SET_NULL, null=True, blank=True, related_name="cycles")
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.PLANNED)
    school_year = models.PositiveSmallIntegerField(help_text=_("Set from the start date."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="cycle_start_before_end"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="cycle_not_own_parent"),
        ]
        indexes = [
            # The cycle list and timeline filter one district's year; markers look up a classroom's cycles.
            models.Index(fields=["district", "school_year", "status"], name="cycle_district_year"),
            models.Index(fields=["classroom", "start"], name="cycle_classroom_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cycles:cycle", args=[self.pk])

    @property
    def steps_in_order(self) -> list[str]:
        return list(STEPS[self.kind])

    @property
    def data_step(self) -> str:
        return StepKind.STUDY if self.kind == CycleKind.PDSA else StepKind.ASSESS

    def clean(self):
        errors: dict[str, list[str]] = {}
        if self.start and self.end and self.start > self.end:
            errors.setdefault("end", []).append(gettext("The cycle ends before it starts."))
        if self.scope == CycleScope.CLASSROOM and not self.classroom_id:
            errors.setdefault("classroom", []).append(gettext("A classroom cycle needs its classroom."))
        if self.scope in (CycleScope.SCHOOL,) and not self.school_id:
            errors.setdefault("school", []).append(gettext("A school cycle needs its school."))
        if self.classroom_id:
            if self.school_id and self.classroom.school_id != self.school_id:
                errors.setdefault("classroom", []).append(gettext("That classroom is in another school."))
            if self.district_id and self.classroom.school.district_id != self.district_id:
                errors.setdefault("classroom", []).append(gettext("That classroom is in another district."))
        if self.school_id and self.district_id and self.school.district_id != self.district_id:
            errors.setdefault("school", []).append(gettext("That school is in another district."))
        if self.parent_id:
            errors.update(self._parent_errors())
        if self.pk and self.start and self.end:
            outside = self.children.exclude(start__gte=self.start, end__lte=self.end).first()
            if outside is not None:
                errors.setdefault("end", []).append(
                    gettext("The nested cycle “%(cycle)s” (%(start)s – %(end)s) must stay inside this cycle's dates.")
                    % {
                        "cycle": outside,
                        "start": date_format(outside.start, gettext("M j")),
                        "end": date_format(outside.end, gettext("M j")),
                    }
                )
        if errors:
            raise ValidationError(errors)

    def _parent_errors(self) -> dict[str, list[str]]:
        parent = self.parent
        if parent.district_id != self.district_id:
            return {"parent": [gettext("A cycle nests only in a cycle of its own district.")]}
        # Walk up from the parent: meeting this cycle again would close a loop.
        seen, node, depth = set(), parent, 1
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                return {
                    "parent": [
                        gettext("A cycle cannot be nested inside itself or inside one of its own nested cycles.")
                    ]
                }
            if node.pk in seen:
                return {"parent": [gettext("The chosen cycle's nesting already loops.")]}
            seen.add(node.pk)
            depth += 1
            node = node.parent
        if depth > MAX_NESTING:
            return {"parent": [gettext("Cycles nest at most %(n)s deep.") % {"n": MAX_NESTING}]}
        if self.start and self.end and (self.start < parent.start or self.end > parent.end):
            return {
                "parent": [
                    gettext("A nested cycle must run inside its parent's dates (%(start)s – %(end)s).")
                    % {
                        "start": date_format(parent.start, gettext("M j, Y")),
                        "end": date_format(parent.end, gettext("M j, Y")),
                    }
                ]
            }
        return {}


class CycleStep(models.Model):
    """One recorded step of a cycle. Which fields matter depends on the step (see forms.STEP_FIELDS)."""

    cycle = models.ForeignKey(ImprovementCycle, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    date = models.DateField(default=timezone.localdate)
    notes = models.TextField(blank=True)
    # Plan (PDSA) / Plan (ROCI)
    change_idea = models.TextField(blank=True, help_text=_("What will you try?"))
    prediction = models.TextField(blank=True, help_text=_("What do you expect to happen, and to the measure?"))
    logistics = models.TextField(_("Who, what, when, where"), blank=True)
    data_plan = models.TextField(_("Data to collect"), blank=True)
    # Do
    surprises = models.TextField(blank=True)
    # Act
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="cycle_step_unique_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.cycle}"

    @property
    def position(self) -> int:
        return STEPS[self.cycle.kind].index(self.kind)

    def clean(self):
        if self.cycle_id and self.kind not in STEPS[self.cycle.kind]:
            raise ValidationError(
                {"kind": gettext("A %(kind)s cycle has no such step.") % {"kind": self.cycle.get_kind_display()}}
            )
        if self.kind == StepKind.ACT and self.cycle_id and self.cycle.kind == CycleKind.PDSA and not self.decision:
            raise ValidationError({"decision": gettext("Choose adopt, adapt or abandon.")})


class DistrictBenchmarkWindow(models.Model):
    """A district's benchmark-assessment window; quarterly ROCI cycles default to the time between two."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="benchmark_windows")
    school_year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100, help_text=_("e.g. 'Fall benchmark'."))
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["district", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="benchmark_start_before_end"),
            models.UniqueConstraint(fields=["district", "school_year", "name"], name="benchmark_unique_name"),
        ]

    def __str__(self):
        when = gettext("M j")
        return f"{self.name} ({date_format(self.start, when)} – {date_format(self.end, when)})"

    def clean(self):
        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": gettext("The window ends before it starts.")})
