"""Practical measures: instruments, administrations (a class answering once), responses and summaries.

Summary tables (AdministrationSummary, ItemSummary, TrendPoint) are written only by
`measures.aggregation`; dashboards read them and nothing else.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.models import Classroom, District, School

# Instrument wording: English is the reference wording every report reads (`name`, `prompt_en`,
# `label_en`); every other language lives in data, one JSON object per row ({"es": "...", "vi": "..."}),
# so a district adds a language its students speak without a code change. The instrument's
# `languages` is the list a student may choose from, in the order shown.
REFERENCE_LANGUAGE = "en"


def default_languages() -> list[str]:
    return ["en", "es"]


def validate_language_codes(value) -> None:
    if not isinstance(value, list) or not value or value[0] != REFERENCE_LANGUAGE:
        raise ValidationError('The languages must be a list that starts with "en".')
    for code in value:
        if not isinstance(code, str) or not 2 <= len(code) <= 10 or not code.replace("-", "").isalpha():
            raise ValidationError(f"{code!r} is not a language code (like es, vi, ar, zh-hans).")


def validate_texts(value) -> None:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValidationError('The wording must be an object of language code to text, like {"es": "..."}.')


def _wording(reference: str, texts: dict, language: str) -> str:
    if language == REFERENCE_LANGUAGE:
        return reference
    return texts.get(language) or reference


def _set_wording(texts: dict, language: str, value: str) -> None:
    if value:
        texts[language] = value
    else:
        texts.pop(language, None)


class InstrumentKind(models.TextChoices):
    WHOLE_CLASS = "whole_class", _("Whole-class discussion")
    SMALL_GROUP = "small_group", _("Small-group work")
    TASK_LAUNCH = "task_launch", _("Task launch")
    PD_FEEDBACK = "pd_feedback", _("PD-session feedback")
    CUSTOM = "custom", _("Custom")


class Audience(models.TextChoices):
    STUDENTS = "students", _("Students")
    ADULTS = "adults", _("Adults")


class Instrument(models.Model):
    """One version of a survey. Versions of the same survey share a `lineage`."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instruments",
        help_text="Empty for the starter instruments every district may use.",
    )
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    names = models.JSONField(
        default=dict, blank=True, validators=[validate_texts], help_text="The name in other languages, by code."
    )
    languages = models.JSONField(
        default=default_languages,
        validators=[validate_language_codes],
        help_text="The languages a student may answer in, English first.",
    )
    kind = models.CharField(max_length=20, choices=InstrumentKind.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.STUDENTS)
    description = models.TextField(blank=True)
    adapted_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adaptations"
    )
    is_current = models.BooleanField(default=True, help_text="The version new surveys use.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="instrument_unique_version"),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})" if self.version > 1 else self.name

    def display_name(self, language: str = "en") -> str:
        return _wording(self.name, self.names, language)

    # The editor still offers a Spanish column: these read and write the "es" wording.
    @property
    def name_es(self) -> str:
        return self.names.get("es", "")

    @name_es.setter
    def name_es(self, value: str) -> None:
        _set_wording(self.names, "es", value)


class ItemKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    AGREEMENT = "agreement", _("4-point agreement")
    TEXT = "text", _("Short text (adults only)")


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    prompt_en = models.CharField(max_length=500)
    texts = models.JSONField(
        default=dict, blank=True, validators=[validate_texts], help_text="The prompt in other languages, by code."
    )
    kind = models.CharField(max_length=10, choices=ItemKind.choices, default=ItemKind.SINGLE)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "order"], name="item_unique_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.prompt_en}"

    def prompt(self, language: str = "en") -> str:
        return _wording(self.prompt_en, self.texts, language)

    @property
    def prompt_es(self) -> str:
        return self.texts.get("es", "")

    @prompt_es.setter
    def prompt_es(self, value: str) -> None:
        _set_wording(self.texts, "es", value)

    @property
    def has_options(self) -> bool:
        return self.kind != ItemKind.TEXT


class Option(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField()
    label_en = models.CharField(max_length=300)
    texts = models.JSONField(
        default=dict, blank=True, validators=[validate_texts], help_text="The label in other languages, by code."
    )
    value = models.SmallIntegerField(default=0)
    productive = models.BooleanField(default=False, help_text="The answer the improvement aims for.")

    class Meta:
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "order"], name="option_unique_order"),
        ]

    def __str__(self):
        return self.label_en

    def label(self, language: str = "en") -> str:
        return _wording(self.label_en, self.texts, language)

    @property
    def label_es(self) -> str:
        return self.texts.get("es", "")

    @label_es.setter
    def label_es(self, value: str) -> None:
        _set_wording(self.texts, "es", value)


class AdaptationLog(models.Model):
    """What a district changed in an instrument, when and why."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="adaptation_log")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    changed_at = models.DateTimeField(default=timezone.now)
    what = models.TextField()
    why = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.instrument}: {self.what[:60]}"


class Administration(models.Model):
    """One group answering one instrument once: a class (students), or the participants of a PD
    session (adults; no classroom or school, and no trend points: the session page reads it)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="administrations")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="administrations")
    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, null=True, blank=True, related_name="administrations"
    )
    # RESTRICT, not PROTECT: an instrument with answers cannot be deleted on its own, but deleting
    # its district (which cascades to both) still deletes everything.
    instrument = models.ForeignKey(Instrument, on_delete=models.RESTRICT, related_name="administrations")
    code = models.CharField(max_length=6, help_text="Join code; unique among open surveys.")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    week = models.DateField(help_text="Monday of the week it was opened (the trend period).")
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    answers_expired_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When retention deleted its raw answers: its summaries are kept, and never recounted.",
    )
    lesson_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # Students type the code; two open surveys must never share one.
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(closed_at__isnull=True), name="administration_open_code_unique"
            ),
            # A classroom survey names its school; a group survey (PD feedback) names neither.
            models.CheckConstraint(
                condition=models.Q(classroom__isnull=True, school__isnull=True)
                | models.Q(classroom__isnull=False, school__isnull=False),
                name="administration_classroom_with_school",
            ),
        ]
        indexes = [
            # A student's code finds a closed survey too (to say it is closed).
            models.Index(fields=["code", "-opened_at"], name="admin_code_opened"),
            models.Index(fields=["classroom", "-opened_at"], name="admin_classroom_opened"),
            models.Index(fields=["district", "week"], name="admin_district_week"),
        ]

    def __str__(self):
        return f"{self.instrument} · {self.classroom or self.lesson_note or 'group'} · {self.opened_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("measures:administration", args=[self.pk])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and self.closes_at > now

    def closed_long_ago(self, now=None) -> bool:
        """Closed more than a day ago: its code answers like one never issued (a student arriving
        late the same day still reads "closed"; a guesser learns nothing from old codes)."""
        now = now or timezone.now()
        ended = self.closed_at or (self.closes_at if self.closes_at <= now else None)
        return ended is not None and now - ended > timedelta(days=1)


class Response(models.Model):
    """One student's answers. Nothing here identifies the student; the token only stops double counting."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="responses")
    token = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64, help_text="Hash of the answers, to tell a replay from a conflict.")
    language = models.CharField(max_length=10, default="en")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A double click, a retry or a replay counts once.
            models.UniqueConstraint(fields=["token"], name="response_token_unique"),
        ]
        indexes = [
            # The sweep looks for administrations with responses newer than their summary.
            models.Index(fields=["administration", "submitted_at"], name="response_admin_submitted"),
            models.Index(fields=["submitted_at"], name="response_submitted"),
        ]

    def __str__(self):
        return f"Response {self.pk} to {self.administration_id}"


class Answer(models.Model):
    # administration is repeated from the response so counting needs no join. The only index is
    # the composite one below: every single-column index would slow each student's insert.
    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="+", db_index=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", db_index=False)
    option = models.ForeignKey(
        Option, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    text = models.TextField(blank=True)

    class Meta:
        indexes = [
            # Aggregation counts answers of one administration by item and option.
            models.Index(fields=["administration", "item", "option"], name="answer_admin_item_option"),
        ]

    def __str__(self):
        return f"Answer {self.pk}"


# --- summaries (written by measures.aggregation only) -------------------------------------------


# Summary rows are derived data, rebuilt in bulk: their foreign keys carry no database constraint
# (checking ~200k keys at commit cost seconds in a full rebuild); Django still cascades deletes.


class AdministrationSummary(models.Model):
    administration = models.OneToOneField(
        Administration, on_delete=models.CASCADE, related_name="summary", db_constraint=False
    )
    n_responses = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()
    last_response_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Summary of {self.administration_id}: n={self.n_responses}"


class ItemSummary(models.Model):
    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="item_summaries", db_constraint=False, db_index=False
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    n_answered = models.PositiveIntegerField(default=0, help_text="Respondents who answered the item.")
    n_productive = models.PositiveIntegerField(default=0, help_text="Respondents who chose a productive answer.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["administration", "item"], name="item_summary_unique"),
        ]

    def __str__(self):
        return f"{self.administration_id}/{self.item_id}: {self.n_productive}/{self.n_answered}"


class Scope(models.TextChoices):
    CLASSROOM = "classroom", "Classroom"
    SCHOOL = "school", "School"
    DISTRICT = "district", "District"


class TrendPoint(models.Model):
    """Share of productive answers for one scope, instrument lineage, item (or the index) and week."""

    # No index of its own: `trend_district_plan` starts with the district (every row written costs one
    # update per index, and a full rebuild writes ~50,000 of them).
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    scope = models.CharField(max_length=10, choices=Scope.choices)
    scope_id = models.PositiveBigIntegerField(help_text="Classroom, school or district id, by scope.")
    lineage = models.UUIDField()
    item_order = models.PositiveSmallIntegerField(
        help_text="Item position within the instrument; 0 for the overall index (share over all items)."
    )
    week = models.DateField()
    n_responses = models.PositiveIntegerField()
    n_answered = models.PositiveIntegerField()
    n_productive = models.PositiveIntegerField()
    n_administrations = models.PositiveIntegerField()

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "scope_id", "lineage", "item_order", "week"],
                name="trend_point_unique",
            ),
        ]
        indexes = [
            # A trend chart reads one scope's series for one instrument and item through the unique
            # constraint's index (scope, scope_id, lineage, item_order, week); so do the exports.
            # measures.publication.Plan: every classroom-week of one district and instrument, read
            # from the index alone on PostgreSQL (the covering columns are ignored elsewhere).
            models.Index(
                fields=["district", "scope", "lineage", "item_order", "week"],
                include=["scope_id", "n_responses", "n_answered", "n_productive"],
                name="trend_district_plan",
            ),
        ]

    def __str__(self):
        return f"{self.scope}:{self.scope_id} {self.week} {self.n_productive}/{self.n_answered}"

    @property
    def share(self) -> float | None:
        return self.n_productive / self.n_answered if self.n_answered else None


class RetentionRun(models.Model):
    """One pass of the district's retention policy: what was deleted, so a leader can read it."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="retention_runs")
    ran_at = models.DateTimeField(default=timezone.now)
    school_years = models.PositiveSmallIntegerField(help_text="The policy in force: school years kept.")
    kept_from = models.DateField(help_text="Raw answers of surveys from weeks before this day were deleted.")
    surveys = models.PositiveIntegerField(default=0, help_text="Surveys whose raw answers were deleted.")
    responses_deleted = models.PositiveIntegerField(default=0)
    answers_deleted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at"]
        indexes = [
            # The district page shows the latest runs.
            models.Index(fields=["district", "-ran_at"], name="retention_run_district"),
        ]

    def __str__(self):
        return f"{self.district_id} {self.ran_at:%Y-%m-%d}: {self.responses_deleted} responses"
