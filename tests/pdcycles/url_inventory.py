"""Every route of the project and who may reach it. A route added without an entry here fails
tests/pdcycles/test_url_inventory.py, so each new page is a conscious decision about its audience.

ANON: anyone, signed in or not (login, the student survey, health checks).
STAFF: any signed-in person; the view narrows what they see (their districts, their classrooms).
A set of roles: only people holding one of these roles get past the view's access check for some
object; everyone else is refused (403, or 404 outside their districts).
"""

from districts.models import Role

ANON = "anonymous"
STAFF = "staff"
LEADER = frozenset({Role.DISTRICT_LEADER})
PLANNERS = frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL, Role.PARTNER, Role.COACH, Role.TEACHER})
TEACHING = frozenset({Role.TEACHER, Role.COACH})
RESULTS = frozenset({Role.TEACHER, Role.COACH, Role.PRINCIPAL, Role.DISTRICT_LEADER})
AGGREGATES = frozenset({Role.COACH, Role.PRINCIPAL, Role.DISTRICT_LEADER, Role.PARTNER})
REC_READERS = frozenset({Role.DISTRICT_LEADER, Role.PARTNER, Role.PRINCIPAL, Role.COACH})
REC_WRITERS = frozenset({Role.DISTRICT_LEADER, Role.PARTNER})
PD_RUNNERS = frozenset({Role.DISTRICT_LEADER, Role.COACH, Role.PRINCIPAL, Role.PARTNER})
REVIEWERS = frozenset({Role.DISTRICT_LEADER, Role.PARTNER, Role.COACH})
COACHES = frozenset({Role.COACH})

ROUTES = {
    # project and accounts
    "home": STAFF,
    "healthz": ANON,
    "set_language": ANON,  # the footer's language selector (a cookie; signed in or not)
    "login": ANON,
    "logout": STAFF,
    "password_change": STAFF,
    "password_change_done": STAFF,
    "password_reset": ANON,
    "password_reset_done": ANON,
    "password_reset_confirm": ANON,
    "password_reset_complete": ANON,
    # people and roster (district leaders)
    "districts:people": LEADER,
    "districts:person_add": LEADER,
    "districts:roster_import": LEADER,
    "districts:roster_import_confirm": LEADER,
    "districts:person": LEADER,
    "districts:person_edit": LEADER,
    "districts:membership_add": LEADER,
    "districts:membership_remove": LEADER,
    "districts:person_coaching": LEADER,
    "districts:person_deactivate": LEADER,
    "districts:person_reactivate": LEADER,
    # instruments
    "instruments:list": STAFF,
    "instruments:create": LEADER,
    "instruments:detail": STAFF,
    "instruments:edit": LEADER,
    "instruments:language": LEADER,
    "instruments:adapt": LEADER,
    "instruments:history": STAFF,
    # survey results
    "measures:index": STAFF,
    "measures:classroom": RESULTS,
    "measures:administration_start": TEACHING,
    "measures:sharing": frozenset({Role.TEACHER}),
    "measures:classroom_export": RESULTS,
    "measures:administration": RESULTS,
    "measures:administration_present": TEACHING,
    "measures:administration_count": TEACHING,
    "measures:administration_close": TEACHING,
    "measures:school": AGGREGATES,
    "measures:district": AGGREGATES,
    "measures:district_export": AGGREGATES,
    # the student survey (no login, no cookies)
    "survey:enter": ANON,
    "survey:survey": ANON,
    "survey:thanks": ANON,
    # priorities, logic models, practices, cycles
    "cycles:index": STAFF,
    "cycles:tree": STAFF,
    "cycles:timeline": STAFF,
    "cycles:cycle_add": PLANNERS,
    "cycles:cycle": PLANNERS,
    "cycles:cycle_edit": PLANNERS,
    "cycles:cycle_delete": PLANNERS,
    "cycles:cycle_measure": PLANNERS,
    "cycles:step": PLANNERS,
    "cycles:priorities": PLANNERS,
    "cycles:priority_add": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:priority": PLANNERS,
    "cycles:priority_edit": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:priority_delete": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:priority_move": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:why_add": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:why_edit": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:why_move": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:why_delete": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:logic_model": PLANNERS,
    "cycles:logic_model_svg": PLANNERS,
    "cycles:element_add": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:arrow_add": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:element_edit": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:element_delete": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:outcome_link": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:arrow_delete": frozenset({Role.DISTRICT_LEADER, Role.PRINCIPAL}),
    "cycles:practices": STAFF,
    "cycles:practice_add": LEADER,
    "cycles:practice": STAFF,
    "cycles:benchmarks": STAFF,
    "cycles:benchmark_delete": LEADER,
    # PD series and sessions
    "pd:index": STAFF,
    "pd:checkin": STAFF,
    "pd:checkin_code": STAFF,
    "pd:series_add": LEADER,
    "pd:series": STAFF,
    "pd:series_edit": PD_RUNNERS,
    "pd:series_delete": LEADER,
    "pd:series_attendance": STAFF,
    "pd:series_attendance_csv": PD_RUNNERS,
    "pd:series_calendar": STAFF,
    "pd:series_review": REVIEWERS,
    "pd:session_add": PD_RUNNERS,
    "pd:session": STAFF,
    "pd:session_edit": PD_RUNNERS,
    "pd:session_delete": PD_RUNNERS,
    "pd:activity_add": PD_RUNNERS,
    "pd:activity_edit": PD_RUNNERS,
    "pd:activity_delete": PD_RUNNERS,
    "pd:activity_move": PD_RUNNERS,
    "pd:checkin_toggle": PD_RUNNERS,
    "pd:checkin_present": PD_RUNNERS,
    "pd:checkin_count": PD_RUNNERS,
    "pd:session_attendance": PD_RUNNERS,
    "pd:feedback_open": PD_RUNNERS,
    "pd:feedback_present": PD_RUNNERS,
    "pd:feedback_count": PD_RUNNERS,
    "pd:feedback_close": PD_RUNNERS,
    "pd:session_review": REVIEWERS,
    "pd:evidence_delete": REC_WRITERS,
    # feedback reports and recommendations
    "recommendations:index": REC_READERS,
    "recommendations:dashboard": REC_READERS,
    "recommendations:dashboard_csv": REC_READERS,
    "recommendations:import": REC_WRITERS,
    "recommendations:report_add": REC_WRITERS,
    "recommendations:report": REC_READERS,
    "recommendations:report_edit": REC_WRITERS,
    "recommendations:report_delete": REC_WRITERS,
    "recommendations:finding_add": REC_WRITERS,
    "recommendations:finding_edit": REC_WRITERS,
    "recommendations:finding_delete": REC_WRITERS,
    "recommendations:recommendation_add": REC_WRITERS,
    "recommendations:recommendation_edit": REC_WRITERS,
    "recommendations:recommendation_delete": REC_WRITERS,
    # coaching
    "coaching:index": STAFF,
    "coaching:teacher": frozenset({Role.COACH, Role.PRINCIPAL, Role.DISTRICT_LEADER}),
    "coaching:cycle_start": COACHES,
    "coaching:observation_create": COACHES,
    "coaching:cycle": frozenset({Role.COACH, Role.TEACHER, Role.PRINCIPAL, Role.DISTRICT_LEADER}),
    "coaching:cycle_edit": COACHES,
    "coaching:event_create": COACHES,
    "coaching:event_edit": COACHES,
    "coaching:event_delete": COACHES,
    "coaching:observation": frozenset({Role.COACH, Role.TEACHER}),
    "coaching:group_sessions": STAFF,
    "coaching:group_session_create": COACHES,
    "coaching:group_session": STAFF,
    "coaching:group_session_edit": COACHES,
    "coaching:group_session_delete": COACHES,
    "coaching:rubrics": STAFF,
    "coaching:rubric": STAFF,
    "coaching:rubric_adapt": LEADER,
    "coaching:rubric_edit": LEADER,
    "coaching:school": frozenset({Role.COACH, Role.PRINCIPAL, Role.DISTRICT_LEADER}),
}


def project_routes():
    """(name, route pattern) of every named route outside the Django admin (which checks staff itself)."""
    from django.urls import URLResolver, get_resolver

    def walk(resolver, prefix="", namespace=None):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                inner = entry.namespace or None
                ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                yield from walk(entry, prefix + str(entry.pattern), ns)
            else:
                yield (f"{namespace}:{entry.name}" if namespace else entry.name), prefix + str(entry.pattern)

    seen = {}
    for name, pattern in walk(get_resolver()):
        seen.setdefault(name, pattern)
    return seen
