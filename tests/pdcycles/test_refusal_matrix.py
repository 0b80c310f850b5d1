"""Every route of the URL inventory that names an object is refused to another district, and every
route limited to some roles is refused to a person holding none of them — on the demo district,
with real objects, by GET and by POST. A route whose object the demo lacks is listed, not skipped
silently."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from districts.models import Classroom, District, Membership, Role, School, User

from .url_inventory import ANON, ROUTES, STAFF, project_routes

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
REFUSED = {403, 404, 405}


def _objects(district):
    """One object of each kind in the district, by the routes' names for them."""
    from coaching.models import CoachingCycle, CoachingEvent, GroupSession, Observation, Rubric
    from cycles.models import (
        DistrictBenchmarkWindow,
        FiveWhy,
        ImprovementCycle,
        LogicArrow,
        LogicElement,
        Practice,
        Priority,
    )
    from measures.models import Administration, Instrument
    from pd.models import Activity, FacilitationEvidence, PDSeries, PDSession
    from recommendations.models import FeedbackReport, Finding, Recommendation

    def first(qs):
        found = qs.order_by("pk").first()
        return found.pk if found else None

    teacher = User.objects.filter(memberships__district=district, memberships__role=Role.TEACHER).first()
    membership = Membership.objects.filter(user=teacher, district=district).first()
    return {
        "person": teacher.pk,
        "membership": membership.pk,
        "instrument": first(Instrument.objects.filter(district=district)),
        "classroom": first(Classroom.objects.filter(school__district=district)),
        "administration": first(Administration.objects.filter(district=district, classroom__isnull=False)),
        "school": first(School.objects.filter(district=district)),
        "district": district.pk,
        "cycle": first(ImprovementCycle.objects.filter(district=district)),
        "priority": first(Priority.objects.filter(district=district)),
        "why": first(FiveWhy.objects.filter(priority__district=district)),
        "element": first(LogicElement.objects.filter(logic_model__priority__district=district)),
        "arrow": first(LogicArrow.objects.filter(logic_model__priority__district=district)),
        "practice": first(Practice.objects.filter(district=district)),
        "benchmark": first(DistrictBenchmarkWindow.objects.filter(district=district)),
        "series": first(PDSeries.objects.filter(district=district)),
        "session": first(PDSession.objects.filter(series__district=district)),
        "activity": first(Activity.objects.filter(session__series__district=district)),
        "evidence": first(FacilitationEvidence.objects.filter(session__series__district=district)),
        "report": first(FeedbackReport.objects.filter(district=district)),
        "finding": first(Finding.objects.filter(report__district=district)),
        "recommendation": first(Recommendation.objects.filter(finding__report__district=district)),
        "coachee": CoachingCycle.objects.filter(district=district).values_list("teacher_id", flat=True).first(),
        "coaching_cycle": first(CoachingCycle.objects.filter(district=district)),
        "event": first(CoachingEvent.objects.filter(cycle__district=district)),
        "observation": first(Observation.objects.filter(district=district)),
        "group_session": first(GroupSession.objects.filter(school__district=district)),
        "rubric": first(Rubric.objects.filter(district=district)),
    }


CYCLES_KINDS = (
    ("why_", "why"),
    ("element_", "element"),
    ("outcome_", "element"),
    ("arrow_delete", "arrow"),
    ("practice", "practice"),
    ("benchmark", "benchmark"),
    ("priorit", "priority"),
    ("logic_model", "priority"),
    ("arrow_add", "priority"),
)


def _kind(name: str, arg: str) -> str:
    """Which object a route's argument names."""
    app, _, view = name.partition(":")
    if arg in ("classroom_id", "administration_id", "school_id", "district_id", "membership_id"):
        return arg.removesuffix("_id")
    if arg == "teacher_id":
        return "coachee"
    if arg == "cycle_id":
        return "coaching_cycle"
    if arg in ("event_id", "observation_id", "rubric_id"):
        return arg.removesuffix("_id")
    if arg == "session_id":
        return "group_session"
    table = {
        "districts": "person",
        "instruments": "instrument",
        "recommendations": "report",
    }
    if app == "cycles":
        for prefix, kind in CYCLES_KINDS:
            if view.startswith(prefix):
                return kind
        return "cycle"
    if app == "pd":
        for prefix, kind in (("series", "series"), ("session_add", "series"), ("activity_add", "session"),
                             ("activity", "activity"), ("evidence", "evidence")):  # fmt: skip
            if view.startswith(prefix):
                return kind
        return "session"
    if app == "recommendations":
        if view.startswith(("finding_edit", "finding_delete", "recommendation_add")):
            return "finding"
        if view.startswith("recommendation_"):
            return "recommendation"
    return table.get(app, arg)


def _url(name, pattern, objects):
    kwargs = {}
    for converter, arg in CONVERTER.findall(pattern):
        if converter != "int":
            kwargs[arg] = "plan" if arg == "kind" else "ABCDEF"
            continue
        pk = objects.get(_kind(name, arg))
        if pk is None:
            return None
        kwargs[arg] = pk
    return reverse(name, kwargs=kwargs)


def _answers(client, user, url):
    client.force_login(user)
    return client.get(url).status_code, client.post(url, {}).status_code


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", "--weeks", "4", "--password", "pass-word-123", verbosity=0)
    district = District.objects.get(slug="lakeside")
    other = District.objects.create(name="Elsewhere", slug="elsewhere")
    outsider = User.objects.create_user(email="outsider@elsewhere.example", password="x", full_name="Out Sider")
    Membership.objects.create(user=outsider, district=other, role=Role.DISTRICT_LEADER)
    return district, outsider, _objects(district)


def test_every_object_route_refuses_another_district_and_every_role_route_refuses_other_roles(client, demo):
    district, outsider, objects = demo
    by_role = {
        role: User.objects.filter(memberships__district=district, memberships__role=role)
        .exclude(memberships__district=district, memberships__role__in=[r for r in Role.values if r != role])
        .first()
        for role in Role.values
    }
    routes = project_routes()
    let_through, no_object, tried = [], [], 0
    for name, who in sorted(ROUTES.items()):
        if who == ANON:
            continue
        pattern = routes[name]
        has_object = any(c == "int" for c, _ in CONVERTER.findall(pattern))
        url = _url(name, pattern, objects)
        if url is None:
            no_object.append(name)
            continue
        if has_object:
            tried += 1
            answers = _answers(client, outsider, url)
            if not set(answers) <= REFUSED:
                let_through.append(f"{name} as another district's leader: {answers}")
        if who != STAFF:
            for role, person in by_role.items():
                if role in who or person is None:
                    continue
                answers = _answers(client, person, url)
                if not set(answers) <= REFUSED:
                    let_through.append(f"{name} as {role}: {answers}")
    assert let_through == [], "\n".join(let_through)
    assert tried >= 60, tried  # the demo has an object for almost every route
    # The demo district owns no library entries (practice, rubric, instrument) of its own: those routes
    # are refused by the library rules, tested in their apps.
    assert len(no_object) <= 10, no_object
