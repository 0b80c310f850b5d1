"""Coaching pages: the coach's caseload, a teacher's coaching, cycles and their events, observations,
group sessions, rubrics, and a school's coaching activity in aggregate.

Views are thin: access comes from districts.access, writes from coaching.services, reads from
coaching.selectors, figures from coaching.charts.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from cycles.selectors import practices_for
from districts import access
from districts.formtools import add_service_errors
from districts.models import Classroom, Membership, Role, User
from measures.models import Administration

from . import charts, selectors, services
from .forms import (
    CycleForm,
    CycleStartForm,
    EventForm,
    GroupSessionForm,
    ObservationForm,
    RubricAdaptForm,
    RubricReviseForm,
)
from .models import CoachingCycle, CoachingEvent, EventKind, GroupSession, Observation, Rubric

# --- helpers ---------------------------------------------------------------------------------


def _cycle(request, cycle_id: int, need: str = "summary"):
    """The cycle and the viewer's level of sight (404 outside their districts, 403 if not theirs)."""
    cycle = access.get_in_districts(
        request.user,
        CoachingCycle.objects.select_related("teacher", "coach", "school__district", "classroom"),
        pk=cycle_id,
    )
    level = access.check_coaching_record(
        request.user,
        district_id=cycle.district_id,
        school_id=cycle.school_id,
        coach_id=cycle.coach_id,
        teacher_ids={cycle.teacher_id},
        need=need,
    )
    return cycle, level


def _coachee(request, teacher_id: int):
    """A teacher the signed-in coach is assigned to this year, and the district of the assignment."""
    teacher = access.get_in_districts(request.user, User.objects.distinct(), via="memberships__district", pk=teacher_id)
    district = selectors.assignment_district(coach=request.user, teacher=teacher)
    if district is None or not access.may_coach(request.user, teacher_id=teacher.pk, district_id=district.pk):
        raise PermissionDenied(gettext("Only the teacher's assigned coach may do this."))
    return teacher, district


def _chart(chart_id: str, figure) -> dict:
    return {"id": chart_id, "figure": figure}


# --- the coaching home -----------------------------------------------------------------------


@require_GET
def index(request):
    """A coach's caseload, a teacher's own coaching, a principal's or leader's schools."""
    user = request.user
    context = {"is_coach": access.is_coach(user), "is_teacher": access.is_teacher(user)}
    if context["is_coach"]:
        try:
            weeks = max(1, min(26, int(request.GET.get("weeks", selectors.QUIET_WEEKS))))
        except ValueError:
            weeks = selectors.QUIET_WEEKS
        rows = selectors.caseload(coach=user, quiet_weeks=weeks)
        monthly = selectors.events_by_month(CoachingEvent.objects.filter(cycle__coach=user))
        context.update(
            caseload=rows,
            quiet=[r for r in rows if r.quiet],
            weeks=weeks,
            active_cycles=sum(r.active_cycles for r in rows),
            monthly=monthly,
            monthly_chart=_chart("chart-months", charts.events_by_month_chart(monthly)) if monthly.months else None,
            recent_sessions=GroupSession.objects.filter(coach=user).annotate(n=Count("attendees"))[:5],
        )
    if context["is_teacher"]:
        context.update(_teacher_context(user))
    schools = access.coaching_activity_schools(user).select_related("district").order_by("name")
    context["activity_schools"] = list(schools)
    cycles = selectors.cycles_for(user).exclude(coach=user).exclude(teacher=user).order_by("-started_on")
    context["other_cycles"] = Paginator(cycles, 20).get_page(request.GET.get("page")) if schools else None
    return render(request, "coaching/index.html", context)


def _teacher_context(user) -> dict:
    mine = list(
        selectors.cycles_for(user).filter(teacher=user).select_related("coach").order_by("status", "-started_on")
    )
    steps = selectors.latest_next_steps(mine)
    for cycle in mine:
        cycle.latest_next = steps.get(cycle.pk)
    series = selectors.teacher_scores(teacher=user, viewer=user)
    teaches = Classroom.objects.filter(teacher=user).exists()
    return {
        "my_cycles": mine,
        "my_scores": _chart("chart-my-scores", charts.scores_chart(series)) if series else None,
        "my_series": series,
        "teaches": teaches,
        "my_group_sessions": GroupSession.objects.filter(attendees=user).select_related("coach", "school")[:5],
    }


# --- a coachee (the coach's view) --------------------------------------------------------------


@require_GET
def teacher(request, teacher_id):
    person, district = _coachee(request, teacher_id)
    rooms = list(Classroom.objects.filter(teacher=person, school__district=district).select_related("school"))
    visible = [r for r in rooms if access.may_see_classroom_results(request.user, r)]
    surveys = (
        Administration.objects.filter(classroom__in=visible, closed_at__isnull=False)
        .select_related("classroom__school__district", "instrument", "district", "summary")
        .order_by("-opened_at")[:8]
    )
    series = selectors.teacher_scores(teacher=person, viewer=request.user)
    cycles = selectors.cycles_for(request.user).filter(teacher=person, coach=request.user).order_by("-started_on")
    return render(
        request,
        "coaching/teacher.html",
        {
            "person": person,
            "rooms": rooms,
            "withdrawn": bool(rooms) and not visible,
            "surveys": list(selectors.linked_surveys(request.user, surveys).values()),
            "cycles": cycles,
            "observations": Observation.objects.filter(teacher=person, observer=request.user).select_related("rubric"),
            "scores": _chart("chart-scores", charts.scores_chart(series)) if series else None,
        },
    )


@require_http_methods(["GET", "POST"])
def cycle_start(request, teacher_id):
    person, district = _coachee(request, teacher_id)
    rooms = Classroom.objects.filter(teacher=person, school__district=district)
    visible = [r.pk for r in rooms.select_related("school") if access.may_see_classroom_results(request.user, r)]
    surveys = (
        Administration.objects.filter(classroom_id__in=visible)
        .select_related("classroom", "instrument")
        .order_by("-opened_at")[:30]
    )
    initial = {}
    chosen = request.GET.get("administration")
    if chosen and chosen.isdigit():
        survey = Administration.objects.filter(pk=int(chosen), classroom_id__in=visible).first()
        if survey is not None:
            initial = {"started_from_administration": survey.pk, "classroom": survey.classroom_id}
    form = CycleStartForm(
        request.POST or None,
        initial=initial,
        classrooms=rooms,
        administrations=Administration.objects.filter(pk__in=[s.pk for s in surveys]).select_related(
            "classroom__teacher", "instrument"
        ),
        practices=practices_for(district),
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_start(coach=request.user, teacher=person, district=district, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("Coaching cycle with %(teacher)s started. Next: a pre-conference to co-plan.")
                % {"teacher": person},
            )
            return redirect(cycle)
    return render(request, "coaching/cycle_start.html", {"person": person, "form": form})


# --- a cycle -----------------------------------------------------------------------------------


@require_GET
def cycle(request, cycle_id):
    cycle, level = _cycle(request, cycle_id)
    counts = selectors.event_kind_counts([cycle.pk]).get(cycle.pk, {})
    if level != access.COACHING_NOTES:
        # Principals and district leaders: that it exists, its focus and its event counts.
        return render(
            request,
            "coaching/cycle_summary.html",
            {"cycle": cycle, "kinds": selectors.kind_labels(counts), "n_events": sum(counts.values())},
        )
    events = list(
        cycle.events.prefetch_related(
            "administrations__classroom__school__district",
            "administrations__instrument",
            "administrations__district",
            "observations__rubric",
        )
    )
    surveys = {a.pk: a for e in events for a in e.administrations.all()}
    if cycle.started_from_administration_id:
        start = (
            Administration.objects.select_related("classroom__school__district", "instrument", "district")
            .filter(pk=cycle.started_from_administration_id)
            .first()
        )
        if start is not None:
            surveys[start.pk] = start
    linked = selectors.linked_surveys(request.user, surveys.values())
    for event in events:
        event.linked_surveys = [linked[a.pk] for a in event.administrations.all()]
    suggestion = selectors.suggest_next([e.kind for e in events])
    observations = (
        Observation.objects.filter(Q(cycle=cycle) | Q(coaching_events__cycle=cycle))
        .distinct()
        .select_related("rubric", "observer")
        .prefetch_related("scores__dimension")
    )
    series = selectors.teacher_scores(teacher=cycle.teacher, viewer=request.user)
    is_coach = access.may_change_coaching_record(request.user, district_id=cycle.district_id, coach_id=cycle.coach_id)
    return render(
        request,
        "coaching/cycle_detail.html",
        {
            "cycle": cycle,
            "events": events,
            "start_survey": linked.get(cycle.started_from_administration_id),
            "suggestion": suggestion,
            "suggested_labels": [(k, EventKind(k).label) for k in suggestion.kinds],
            "observations": observations,
            "scores": _chart("chart-scores", charts.scores_chart(series)) if series else None,
            "is_coach": is_coach,
            "show_private": access.may_see_private_note(request.user, coach_id=cycle.coach_id),
            "kinds": selectors.kind_labels(counts),
        },
    )


@require_http_methods(["GET", "POST"])
def cycle_edit(request, cycle_id):
    cycle, _ = _cycle(request, cycle_id, need="change")
    form = CycleForm(request.POST or None, instance=cycle, practices=practices_for(cycle.district_id))
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Cycle saved."))
            return redirect(cycle)
    return render(request, "coaching/cycle_form.html", {"cycle": cycle, "form": form})


def _event_form(request, cycle, *, kind, instance=None, initial=None):
    administrations = (
        services.cycle_administrations(cycle)
        .filter(closed_at__isnull=False)
        .select_related("instrument", "summary")
        .order_by("-opened_at")[:20]
    )
    ids = [a.pk for a in administrations]
    if instance is not None:
        ids += list(instance.administrations.values_list("pk", flat=True))
    return EventForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        administrations=Administration.objects.filter(pk__in=ids)
        .select_related("instrument", "summary")
        .order_by("-opened_at"),
        observations=services.cycle_observations(cycle).select_related("rubric"),
        kind=kind,
    )


def _event_data(form, instance=None) -> dict:
    """The form's fields for the service; evidence links a kind's form does not show are kept as they are."""
    data = dict(form.cleaned_data)
    for name in ("administrations", "observations"):
        if name in data:
            data[name] = list(data[name])
        else:
            data[name] = list(getattr(instance, name).all()) if instance is not None else []
    return data


@require_http_methods(["GET", "POST"])
def event_create(request, cycle_id):
    cycle, _ = _cycle(request, cycle_id, need="change")
    kind = request.GET.get("kind")
    if kind not in EventKind.values:
        kind = selectors.suggest_next(list(cycle.events.values_list("kind", flat=True))).kinds[0]
    form = _event_form(request, cycle, kind=kind, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_log(cycle=cycle, by=request.user, **_event_data(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("%(kind)s logged.") % {"kind": event.get_kind_display()})
            return redirect(cycle)
    return render(
        request,
        "coaching/event_form.html",
        {
            "cycle": cycle,
            "form": form,
            "kind": EventKind(kind),
            "kinds": [c for c in EventKind.choices if c[0] != kind],
        },
    )


def _event(request, event_id):
    event = access.get_in_districts(
        request.user, CoachingEvent.objects.select_related("cycle"), via="cycle__district", pk=event_id
    )
    _cycle(request, event.cycle_id, need="change")
    return event


@require_http_methods(["GET", "POST"])
def event_edit(request, event_id):
    event = _event(request, event_id)
    form = _event_form(request, event.cycle, kind=event.kind, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, **_event_data(form, event))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Event saved."))
            return redirect(event.cycle)
    return render(
        request, "coaching/event_form.html", {"cycle": event.cycle, "form": form, "event": event, "kind": None}
    )


@require_http_methods(["GET", "POST"])
def event_delete(request, event_id):
    event = _event(request, event_id)
    if request.method == "POST":
        cycle = event.cycle
        services.event_delete(event=event)
        messages.success(request, gettext("Event deleted."))
        return redirect(cycle)
    return render(request, "coaching/event_confirm_delete.html", {"event": event, "cycle": event.cycle})


# --- observations ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def observation_create(request, teacher_id):
    person, district = _coachee(request, teacher_id)
    rubrics = selectors.rubrics_for(district).filter(is_current=True).order_by("district_id", "name")
    wanted = request.GET.get("rubric")
    rubric = next((r for r in rubrics if str(r.pk) == wanted), None) or next(
        (r for r in rubrics if r.district_id == district.pk), None
    )
    rubric = rubric or rubrics.first()
    if rubric is None:
        raise Http404("No rubric")
    cycle = None
    if (cycle_id := request.GET.get("cycle", "")).isdigit():
        cycle = CoachingCycle.objects.filter(pk=int(cycle_id), teacher=person).first()
        if cycle is not None and not access.may_change_coaching_record(
            request.user, district_id=cycle.district_id, coach_id=cycle.coach_id
        ):
            cycle = None  # another coach's cycle: the observation stands on its own
    rooms = Classroom.objects.filter(teacher=person, school__district=district)
    form = ObservationForm(
        request.POST or None,
        rubric=rubric,
        classrooms=rooms,
        initial={"classroom": cycle.classroom_id if cycle else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation = services.observation_record(
                observer=request.user,
                rubric=rubric,
                district=district,
                teacher=person,
                classroom=data["classroom"],
                cycle=cycle,
                observed_on=data["observed_on"],
                lesson=data["lesson"],
                summary=data["summary"],
                scores=form.scores(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Observation saved."))
            if cycle is not None:
                return redirect(f"{cycle.get_absolute_url()}#observations")
            return redirect(observation)
    return render(
        request,
        "coaching/observation_form.html",
        {"person": person, "form": form, "rubric": rubric, "rubrics": rubrics, "cycle": cycle},
    )


@require_GET
def observation(request, observation_id):
    obs = access.get_in_districts(
        request.user,
        Observation.objects.select_related("rubric", "observer", "teacher", "classroom", "cycle"),
        pk=observation_id,
    )
    level = access.check_coaching_record(
        request.user,
        district_id=obs.district_id,
        school_id=obs.school_id,
        coach_id=obs.observer_id,
        teacher_ids={obs.teacher_id} if obs.teacher_id else set(),
        need="notes",
    )
    scores = {s.dimension_id: s for s in obs.scores.all()}
    rows = [(d, scores.get(d.pk)) for d in obs.rubric.dimensions.prefetch_related("levels")]
    return render(request, "coaching/observation_detail.html", {"obs": obs, "rows": rows, "level": level})


# --- group sessions ----------------------------------------------------------------------------


@require_GET
def group_sessions(request):
    sessions = (
        selectors.group_sessions_for(request.user)
        .select_related("school", "coach")
        .annotate(n=Count("attendees", distinct=True))
        .order_by("-date", "-pk")
    )
    page = Paginator(sessions, 20).get_page(request.GET.get("page"))
    return render(
        request, "coaching/group_session_list.html", {"page": page, "may_lead": access.is_coach(request.user)}
    )


def _session(request, session_id, need):
    session = access.get_in_districts(
        request.user, GroupSession.objects.select_related("school", "coach"), pk=session_id
    )
    level = access.check_coaching_record(
        request.user,
        district_id=session.district_id,
        school_id=session.school_id,
        coach_id=session.coach_id,
        teacher_ids=set(session.attendees.values_list("pk", flat=True)),
        need=need,
    )
    return session, level


@require_GET
def group_session(request, session_id):
    session, level = _session(request, session_id, "summary")
    return render(
        request,
        "coaching/group_session_detail.html",
        {
            "session": session,
            "notes_visible": level == access.COACHING_NOTES,
            "attendees": session.attendees.order_by("full_name"),
            "is_coach": access.may_change_coaching_record(
                request.user, district_id=session.district_id, coach_id=session.coach_id
            ),
        },
    )


def _session_form(request, session=None):
    schools = access.group_session_schools(request.user).order_by("name")
    if not schools.exists():
        raise PermissionDenied(gettext("Only coaches lead group sessions."))
    form = GroupSessionForm(request.POST or None, instance=session, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.group_session_save(
                coach=request.user, session=session, attendees=list(data.pop("attendees")), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Group session saved."))
            return redirect(saved)
    return render(request, "coaching/group_session_form.html", {"form": form, "session": session})


@require_http_methods(["GET", "POST"])
def group_session_create(request):
    if not access.is_coach(request.user):
        raise PermissionDenied(gettext("Only coaches lead group sessions."))
    return _session_form(request)


@require_http_methods(["GET", "POST"])
def group_session_edit(request, session_id):
    session, _ = _session(request, session_id, "change")
    return _session_form(request, session)


@require_http_methods(["GET", "POST"])
def group_session_delete(request, session_id):
    session, _ = _session(request, session_id, "change")
    if request.method == "POST":
        services.group_session_delete(session=session)
        messages.success(request, gettext("Group session deleted."))
        return redirect("coaching:group_sessions")
    return render(request, "coaching/group_session_confirm_delete.html", {"session": session})


# --- rubrics -----------------------------------------------------------------------------------


@require_GET
def rubrics(request):
    if not access.district_ids(request.user):
        raise PermissionDenied(gettext("You hold no role in a district."))
    found = (
        Rubric.objects.filter(access.library_q(request.user))
        .select_related("district")
        .annotate(n_observations=Count("observations"))
        .order_by("district_id", "name", "-version")
    )
    return render(
        request, "coaching/rubric_list.html", {"rubrics": found, "leads": access.is_district_leader(request.user)}
    )


def _rubric(request, rubric_id, need="view"):
    rubric = access.get_in_districts(
        request.user, Rubric.objects.select_related("district"), library=True, pk=rubric_id
    )
    access.check_rubric(request.user, rubric.district_id, need=need)
    return rubric


@require_GET
def rubric(request, rubric_id):
    rub = _rubric(request, rubric_id)
    versions = Rubric.objects.filter(lineage=rub.lineage).annotate(n=Count("observations")).order_by("-version")
    return render(
        request,
        "coaching/rubric_detail.html",
        {
            "rubric": rub,
            "dimensions": rub.dimensions.prefetch_related("levels"),
            "versions": versions,
            "may_change": access.may_change_library_entry(request.user, rub.district_id),
            "may_adapt": access.is_district_leader(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def rubric_adapt(request, rubric_id):
    rub = _rubric(request, rubric_id, need="adapt")
    district = access.led_districts(request.user).order_by("name").first()
    form = RubricAdaptForm(request.POST or None, initial={"name": f"{rub.name} ({district})"})
    if request.method == "POST" and form.is_valid():
        copy = services.rubric_adapt(rubric=rub, district=district, name=form.cleaned_data["name"])
        messages.success(
            request,
            gettext("%(rubric)s is your district's own rubric now: change it as you need.") % {"rubric": copy.name},
        )
        return redirect("coaching:rubric_edit", copy.pk)
    return render(request, "coaching/rubric_adapt.html", {"rubric": rub, "form": form, "district": district})


@require_http_methods(["GET", "POST"])
def rubric_edit(request, rubric_id):
    rub = _rubric(request, rubric_id, need="change")
    form = RubricReviseForm(request.POST or None, rubric=rub)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.rubric_revise(
                rubric=rub,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                dimensions=form.changes(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved.pk != rub.pk:
                messages.success(
                    request,
                    gettext("Saved as version %(version)s: earlier observations keep theirs.")
                    % {"version": saved.version},
                )
            else:
                messages.success(request, gettext("Rubric saved."))
            return redirect(saved)
    return render(request, "coaching/rubric_form.html", {"rubric": rub, "form": form})


# --- a school's coaching activity (aggregate) --------------------------------------------------


@require_GET
def school(request, school_id):
    where = access.get_coaching_activity_school(request.user, school_id)
    activity = selectors.school_activity(school=where)
    coaches = Membership.objects.filter(school=where, role=Role.COACH).select_related("user")
    return render(
        request,
        "coaching/school.html",
        {
            "school": where,
            "activity": activity,
            "coaches": [m.user for m in coaches],
            "monthly_chart": _chart("chart-months", charts.events_by_month_chart(activity.monthly))
            if activity.monthly.months
            else None,
        },
    )
