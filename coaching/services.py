"""Writes for coaching: cycles and their events, observations, group sessions, rubrics.

Callers (views, the demo) check access first (districts.access); these functions check that the
pieces belong together and validate with full_clean before saving.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from districts.models import Classroom, CoachAssignment, District, Membership, Role, School, User
from measures.models import Administration

from .models import (
    CoachingCycle,
    CoachingEvent,
    CycleStatus,
    DimensionScore,
    GroupSession,
    Observation,
    ObservationSubject,
    Rubric,
    RubricDimension,
    RubricLevel,
)

# --- cycles ----------------------------------------------------------------------------------


def _teacher_school(*, teacher: User, district: District, classroom: Classroom | None) -> School:
    if classroom is not None:
        return classroom.school
    membership = (
        Membership.objects.filter(user=teacher, district=district, role=Role.TEACHER, school__isnull=False)
        .select_related("school")
        .first()
    )
    if membership is not None:
        return membership.school
    room = Classroom.objects.filter(teacher=teacher, school__district=district).select_related("school").first()
    if room is None:
        raise ValidationError(_("The teacher has no school in this district."))
    return room.school


@transaction.atomic
def cycle_start(
    *,
    coach: User,
    teacher: User,
    district: District,
    focus_practice: str,
    goal: str,
    practice=None,
    classroom: Classroom | None = None,
    started_from_administration: Administration | None = None,
    started_from_observation: Observation | None = None,
    started_on: date | None = None,
) -> CoachingCycle:
    """Open a coaching cycle with a teacher the coach is assigned to this school year."""
    year = district.current_school_year()
    if not CoachAssignment.objects.filter(coach=coach, teacher=teacher, district=district, school_year=year).exists():
        raise ValidationError(_("You are not assigned to coach this teacher this school year."))
    if classroom is None and started_from_administration is not None:
        classroom = started_from_administration.classroom
    if started_from_administration is not None and started_from_administration.classroom.teacher_id != teacher.pk:
        raise ValidationError({"started_from_administration": _("The survey must be from the teacher's class.")})
    if started_from_observation is not None and started_from_observation.teacher_id != teacher.pk:
        raise ValidationError({"started_from_observation": _("The observation must be of the teacher.")})
    cycle = CoachingCycle(
        district=district,
        school=_teacher_school(teacher=teacher, district=district, classroom=classroom),
        coach=coach,
        teacher=teacher,
        classroom=classroom,
        school_year=year,
        focus_practice=focus_practice.strip(),
        practice=practice,
        goal=goal.strip(),
        started_from_administration=started_from_administration,
        started_from_observation=started_from_observation,
        started_on=started_on or timezone.localdate(),
    )
    cycle.full_clean()
    cycle.save()
    return cycle


def cycle_update(
    *,
    cycle: CoachingCycle,
    focus_practice: str,
    goal: str,
    status: str,
    ended_on: date | None = None,
    practice=None,
) -> CoachingCycle:
    """Change the focus, goal or status; completing a cycle dates its end (today unless given)."""
    cycle.practice = practice
    cycle.focus_practice = focus_practice.strip()
    cycle.goal = goal.strip()
    cycle.status = status
    if status == CycleStatus.COMPLETED:
        cycle.ended_on = ended_on or cycle.ended_on or timezone.localdate()
    else:
        cycle.ended_on = ended_on
    cycle.full_clean()
    cycle.save()
    return cycle


# --- events ----------------------------------------------------------------------------------


EVENT_TEXT_FIELDS = (
    "lesson",
    "math_goals",
    "anticipated_strategies",
    "what_was_tried",
    "feedback",
    "next_steps",
    "note",
)


def cycle_administrations(cycle: CoachingCycle):
    """Surveys that may be linked to the cycle's events: its classroom's, or the teacher's this year."""
    if cycle.classroom_id:
        return Administration.objects.filter(classroom_id=cycle.classroom_id)
    return Administration.objects.filter(
        classroom__teacher_id=cycle.teacher_id, classroom__school__district_id=cycle.district_id
    )


def cycle_observations(cycle: CoachingCycle):
    """Observations that may be linked: the coach's observations of this teacher."""
    return Observation.objects.filter(teacher_id=cycle.teacher_id, observer_id=cycle.coach_id)


def _check_evidence(cycle: CoachingCycle, administrations, observations) -> None:
    wanted = {a.pk for a in administrations}
    if cycle_administrations(cycle).filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError({"administrations": _("Link surveys of the cycle's classroom only.")})
    wanted = {o.pk for o in observations}
    if cycle_observations(cycle).filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError({"observations": _("Link your observations of this teacher only.")})


@transaction.atomic
def event_log(
    *,
    cycle: CoachingCycle,
    by: User,
    kind: str,
    date: date | None = None,
    minutes: int | None = None,
    administrations: Iterable[Administration] = (),
    observations: Iterable[Observation] = (),
    note_is_private: bool = False,
    **texts: str,
) -> CoachingEvent:
    """Log a pre-conference, a classroom collaboration, a debrief … in a cycle, with linked evidence."""
    unknown = set(texts) - set(EVENT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    administrations, observations = list(administrations), list(observations)
    _check_evidence(cycle, administrations, observations)
    event = CoachingEvent(
        cycle=cycle,
        kind=kind,
        date=date or timezone.localdate(),
        minutes=minutes,
        note_is_private=note_is_private,
        created_by=by,
        **{name: (value or "").strip() for name, value in texts.items()},
    )
    event.full_clean()
    event.save()
    event.administrations.set(administrations)
    event.observations.set(observations)
    return event


@transaction.atomic
def event_update(
    *,
    event: CoachingEvent,
    kind: str,
    date: date,
    minutes: int | None = None,
    administrations: Iterable[Administration] = (),
    observations: Iterable[Observation] = (),
    note_is_private: bool = False,
    **texts: str,
) -> CoachingEvent:
    unknown = set(texts) - set(EVENT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    administrations, observations = list(administrations), list(observations)
    _check_evidence(event.cycle, administrations, observations)
    event.kind, event.date, event.minutes, event.note_is_private = kind, date, minutes, note_is_private
    for name, value in texts.items():
        setattr(event, name, (value or "").strip())
    event.full_clean()
    event.save()
    event.administrations.set(administrations)
    event.observations.set(observations)
    return event


def event_delete(*, event: CoachingEvent) -> None:
    event.delete()


# --- observations ----------------------------------------------------------------------------


@transaction.atomic
def observation_record(
    *,
    observer: User,
    rubric: Rubric,
    district: District,
    scores: Mapping[int, tuple[int, str]],
    subject: str = ObservationSubject.LESSON,
    teacher: User | None = None,
    classroom: Classroom | None = None,
    cycle: CoachingCycle | None = None,
    pd_session: str = "",
    observed_on: date | None = None,
    lesson: str = "",
    summary: str = "",
) -> Observation:
    """Record an observation scored on one rubric version: `scores` maps dimension id → (score, evidence).

    A dimension may be left unscored (not seen in this lesson); a score must be one of its levels.
    """
    if rubric.district_id not in (None, district.pk):
        raise ValidationError({"rubric": _("That rubric belongs to another district.")})
    if cycle is not None and (cycle.teacher_id != getattr(teacher, "pk", None) or cycle.district_id != district.pk):
        raise ValidationError({"cycle": _("The cycle must be with the observed teacher.")})
    school = classroom.school if classroom else (cycle.school if cycle else None)
    if school is None and teacher is not None:
        school = _teacher_school(teacher=teacher, district=district, classroom=None)
    observation = Observation(
        district=district,
        observer=observer,
        subject=subject,
        teacher=teacher,
        school=school,
        classroom=classroom or (cycle.classroom if cycle else None),
        cycle=cycle,
        pd_session=pd_session.strip(),
        rubric=rubric,
        observed_on=observed_on or timezone.localdate(),
        lesson=lesson.strip(),
        summary=summary.strip(),
    )
    observation.full_clean()
    observation.save()
    dimensions = {d.pk: d for d in rubric.dimensions.prefetch_related("levels")}
    if set(scores) - set(dimensions):
        raise ValidationError(_("A score is for a dimension of another rubric."))
    rows = []
    for dimension_id, (score, evidence) in scores.items():
        if score not in {level.score for level in dimensions[dimension_id].levels.all()}:
            raise ValidationError(
                {
                    "score": _("%(score)s is not a level of %(dimension)s.")
                    % {"score": score, "dimension": dimensions[dimension_id]}
                }
            )
        rows.append(
            DimensionScore(observation=observation, dimension_id=dimension_id, score=score, evidence=evidence.strip())
        )
    DimensionScore.objects.bulk_create(rows)
    return observation


# --- rubrics ---------------------------------------------------------------------------------


def _copy_rubric(rubric: Rubric, **fields) -> Rubric:
    copy = Rubric(
        district=fields.get("district", rubric.district),
        lineage=fields.get("lineage", rubric.lineage),
        version=fields.get("version", rubric.version),
        name=fields.get("name", rubric.name),
        description=fields.get("description", rubric.description),
        adapted_from=fields.get("adapted_from", rubric.adapted_from),
        is_current=True,
    )
    copy.full_clean()
    copy.save()
    for dimension in rubric.dimensions.prefetch_related("levels"):
        new = RubricDimension.objects.create(
            rubric=copy, order=dimension.order, name=dimension.name, description=dimension.description
        )
        RubricLevel.objects.bulk_create(
            [
                RubricLevel(dimension=new, score=level.score, label=level.label, descriptor=level.descriptor)
                for level in dimension.levels.all()
            ]
        )
    return copy


@transaction.atomic
def rubric_adapt(*, rubric: Rubric, district: District, name: str | None = None) -> Rubric:
    """Copy a rubric (the starter, typically) into a district as a new rubric of its own."""
    import uuid

    return _copy_rubric(
        rubric,
        district=district,
        lineage=uuid.uuid4(),
        version=1,
        name=(name or f"{rubric.name} ({district.name})").strip(),
        adapted_from=rubric,
    )


@dataclass(frozen=True)
class DimensionChange:
    order: int
    name: str
    description: str
    descriptors: Mapping[int, str]  # score → descriptor


@transaction.atomic
def rubric_revise(*, rubric: Rubric, name: str, description: str, dimensions: Iterable[DimensionChange]) -> Rubric:
    """Change a district rubric's wording. Returns the rubric that now holds the change.

    A version already used by an observation never changes (its scores mean what they meant): the
    change goes into a new version of the same lineage, which becomes the current one. An unused
    version is changed in place.
    """
    if rubric.district_id is None:
        raise ValidationError(_("The starter rubric is read-only: adapt it for your district."))
    target = rubric
    if rubric.observations.exists():
        latest = Rubric.objects.filter(lineage=rubric.lineage).aggregate(v=Max("version"))["v"]
        Rubric.objects.filter(lineage=rubric.lineage).update(is_current=False)
        target = _copy_rubric(rubric, version=latest + 1, adapted_from=rubric.adapted_from)
    target.name, target.description = name.strip(), description.strip()
    target.full_clean()
    target.save()
    by_order = {d.order: d for d in target.dimensions.prefetch_related("levels")}
    for change in dimensions:
        dimension = by_order[change.order]
        dimension.name, dimension.description = change.name.strip(), change.description.strip()
        dimension.full_clean()
        dimension.save()
        for level in dimension.levels.all():
            if level.score in change.descriptors:
                level.descriptor = change.descriptors[level.score].strip()
                level.full_clean()
                level.save()
    return target


# --- group sessions --------------------------------------------------------------------------


@transaction.atomic
def group_session_save(
    *,
    coach: User,
    school: School,
    kind: str,
    date: date,
    attendees: Iterable[User],
    minutes: int | None = None,
    focus_practice: str = "",
    notes: str = "",
    next_steps: str = "",
    session: GroupSession | None = None,
    practice=None,
) -> GroupSession:
    """Create (or update) a teacher collaborative meeting; attendees must teach in its district."""
    attendees = list(attendees)
    teachers = set(
        Membership.objects.filter(user__in=attendees, district_id=school.district_id, role=Role.TEACHER).values_list(
            "user_id", flat=True
        )
    )
    if any(a.pk not in teachers for a in attendees):
        raise ValidationError({"attendees": _("Attendees must be teachers in the school's district.")})
    session = session or GroupSession(coach=coach)
    session.district_id = school.district_id
    session.school = school
    session.kind, session.date, session.minutes = kind, date, minutes
    if practice is not None and practice.district_id not in (None, school.district_id):
        raise ValidationError({"practice": _("Choose a practice of the school's district or a published one.")})
    session.practice = practice
    session.focus_practice = (focus_practice.strip() or (practice.title[:200] if practice else "")).strip()
    session.notes, session.next_steps = notes.strip(), next_steps.strip()
    session.full_clean()
    session.save()
    session.attendees.set(attendees)
    return session


def group_session_delete(*, session: GroupSession) -> None:
    session.delete()
