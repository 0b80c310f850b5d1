"""PD series and sessions (seed 004, seed 002): design connected sessions, run check-in and the
anonymous feedback survey, and keep the facilitation review of the math leaders.

Access from districts.access (get_in_districts, check_pd_series, check_pd_session); writes
through pd.services (forms only clean input); numbers from
pd.selectors; the feedback survey itself is the measures engine (/s/CODE).
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districts import access
from districts.csv_export import csv_response
from districts.formtools import add_service_errors

from . import charts as pd_charts
from . import ical as pd_calendar
from . import selectors as pd_selectors
from . import services as pd_services
from .forms import ActivityForm, CheckInForm, EvidenceForm, FeedbackOpenForm, MemoForm, SeriesForm, SessionForm
from .models import Activity, Attendance, FacilitationEvidence, PDSeries, PDSession

# --- helpers --------------------------------------------------------------------------------


def _series(request, pk, *, need="view") -> tuple[PDSeries, dict]:
    series = access.get_in_districts(
        request.user,
        PDSeries.objects.select_related("district", "priority").prefetch_related("facilitators", "audience_schools"),
        pk=pk,
    )
    facts = pd_selectors.series_facts(series)
    access.check_pd_series(request.user, need=need, **facts)
    return series, facts


def _session(request, pk, *, need="view") -> tuple[PDSession, dict]:
    session = access.get_in_districts(
        request.user,
        PDSession.objects.select_related("series__district", "feedback__district", "feedback__instrument"),
        via="series__district",
        pk=pk,
    )
    series, facts = _series(request, session.series_id)
    access.check_pd_session(request.user, need=need, **facts)
    session.series = series
    return session, facts


def _may(request, facts, need) -> bool:
    user, district = request.user, facts["district"]
    if need == "change":
        return access.may_change_pd_series(user, district=district, facilitator_ids=facts["facilitator_ids"])
    if need == "review":
        return access.may_review_facilitation(user, district)
    return False


def _count(model, field: str):
    """A per-row count as a subquery: two joined counts would multiply each other's rows."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def _present(request, session, *, what: str, code: str, link: str, **context):
    """The big-screen page: a code, its QR code and a live count (check-in or feedback)."""
    qr = segno.make(link, error="m").svg_inline(scale=8, dark="#000", light="#fff", omitsize=True) if code else ""
    context.update(session=session, series=session.series, what=what, code=code, link=link, qr=qr)
    return render(request, "pd/present.html", context)


# --- series ---------------------------------------------------------------------------------


@require_GET
def index(request):
    series = pd_selectors.visible_series(request.user)
    page = Paginator(series, 20).get_page(request.GET.get("page"))
    starts = [d for d in access.districts(request.user).order_by("name") if access.may_start_pd_series(request.user, d)]
    return render(request, "pd/index.html", {"page": page, "series_list": page.object_list, "starts": starts})


@require_http_methods(["GET", "POST"])
def series_add(request):
    district = access.current_district(request.user, request.GET.get("district"))
    if not access.may_start_pd_series(request.user, district):
        raise PermissionDenied(gettext("District leaders start PD series."))
    form = SeriesForm(request.POST or None, district=district, initial={"school_year": district.current_school_year()})
    if request.method == "POST" and form.is_valid():
        try:
            series = pd_services.series_create(district=district, created_by=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("“%(series)s” is ready: add its first session.") % {"series": series})
            return redirect(series)
    return render(request, "pd/series_form.html", {"form": form, "district": district})


@require_http_methods(["GET", "POST"])
def series_edit(request, pk):
    series, _ = _series(request, pk, need="change")
    form = SeriesForm(request.POST or None, instance=series, district=series.district)
    if request.method == "POST" and form.is_valid():
        try:
            pd_services.series_update(series=series, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Saved."))
            return redirect(series)
    return render(request, "pd/series_form.html", {"form": form, "series": series, "district": series.district})


@require_http_methods(["GET", "POST"])
def series_delete(request, pk):
    series, _ = _series(request, pk, need="change")
    if not access.may_delete_pd_series(request.user, series.district_id):
        raise PermissionDenied(gettext("District leaders delete PD series."))
    if request.method == "POST":
        pd_services.series_delete(series=series)
        messages.success(request, gettext("“%(title)s” was deleted.") % {"title": series})
        return redirect("pd:index")
    return render(request, "pd/confirm_delete.html", {"series": series, "obj": series})


@require_GET
def series_detail(request, pk):
    series, facts = _series(request, pk)
    sessions = list(
        series.sessions.prefetch_related("goals").annotate(
            n_activities=_count(Activity, "session"), n_present=_count(Attendance, "session")
        )
    )
    may_feedback = access.may_see_pd_feedback(
        request.user, district=facts["district"], facilitator_ids=facts["facilitator_ids"]
    )
    points = pd_selectors.feedback_trend(series) if may_feedback else []
    feedback_chart = None
    if any(p.share is not None for p in points):
        feedback_chart = {
            "id": "feedback-chart",
            "title": gettext("Participants' feedback, session by session"),
            "figure": pd_charts.feedback_spec(points),
        }
    return render(
        request,
        "pd/series_detail.html",
        {
            "feedback_chart": feedback_chart,
            "feedback_points": points,
            "series": series,
            "sessions": sessions,
            "cycles": pd_selectors.leader_cycles(series, timezone.localdate()),
            "may_change": _may(request, facts, "change"),
            "may_review": _may(request, facts, "review"),
            "may_delete": access.may_delete_pd_series(request.user, series.district_id),
            "may_see_review": access.may_see_facilitation_review(
                request.user, district=facts["district"], facilitator_ids=facts["facilitator_ids"]
            ),
            "today": timezone.localdate(),
        },
    )


@require_GET
def series_attendance(request, pk):
    series, facts = _series(request, pk)
    may_change = _may(request, facts, "change")
    sessions, rows = pd_selectors.attendance_matrix(series, only_user=None if may_change else request.user)
    return render(
        request,
        "pd/attendance.html",
        {"series": series, "sessions": sessions, "rows": rows, "may_change": may_change},
    )


@require_GET
def series_calendar(request, pk):
    """The series' sessions for a calendar app: anyone who may see the series."""
    series, _ = _series(request, pk)
    base = f"{request.scheme}://{request.get_host()}"
    body = pd_calendar.series_ics(series, host=request.get_host(), base_url=base)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pd-series-{series.pk}.ics"'
    return response


@require_GET
def series_attendance_csv(request, pk):
    """Attendance for the district's records (stipends, credit hours): facilitators and leaders."""
    series, _ = _series(request, pk, need="change")
    sessions, rows = pd_selectors.attendance_matrix(series)
    minutes = [s.minutes for s in sessions]
    header = ["participant", "email", *[f"{s.date:%Y-%m-%d} {s.title}" for s in sessions], "sessions", "minutes"]
    lines = [
        [
            row.person.full_name,
            row.person.email,
            *["1" if here else "0" for here in row.present],
            row.total,
            sum(m for m, here in zip(minutes, row.present, strict=True) if here),
        ]
        for row in rows
    ]
    # The one CSV writer: a participant named "=HYPERLINK(…)" stays text in a spreadsheet.
    return csv_response(f"pd-attendance-{series.pk}.csv", [header, *lines])


@require_GET
def series_review(request, pk):
    """How the facilitation evidence moved across the cycles, for the series or one leader."""
    series, facts = _series(request, pk)
    evidence = pd_selectors.evidence_for(request.user, series)
    access.check_facilitation_review(
        request.user,
        district=facts["district"],
        facilitator_ids=facts["facilitator_ids"],
        has_own_evidence=evidence.filter(leader=request.user).exists(),
    )
    leaders = sorted({e.leader for e in evidence}, key=lambda u: (u.full_name or u.email).casefold())
    chosen = None
    raw = request.GET.get("leader", "")
    if raw:
        wanted = pd_services.small_int(raw)
        chosen = next((u for u in leaders if u.pk == wanted), None)
        if chosen is None:
            return redirect(reverse("pd:series_review", args=[series.pk]))
        evidence = evidence.filter(leader=chosen)
    labels, points = pd_selectors.evidence_movement(evidence)
    who = chosen.full_name if chosen else gettext("all leaders")
    chart = {
        "id": "evidence-chart",
        "title": gettext("Evidence of improvement by goal, %(who)s") % {"who": who},
        "figure": pd_charts.evidence_spec(labels, points, title=""),
    }
    return render(
        request,
        "pd/review.html",
        {
            "series": series,
            "leaders": leaders,
            "chosen": chosen,
            "labels": labels,
            "points": points,
            "chart": chart if points else None,
            "evidence": evidence.order_by("session__date", "clip_start", "pk"),
            "may_review": _may(request, facts, "review"),
        },
    )


# --- sessions -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_add(request, pk):
    series, _ = _series(request, pk, need="change")
    last = series.sessions.order_by("-date").first()
    initial = {"date": timezone.localdate(), "minutes": last.minutes if last else 180}
    if last and last.cycle:
        initial["cycle"] = last.cycle
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = pd_services.session_create(series=series, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Session added: now plan its activities."))
            return redirect(session)
    return render(request, "pd/session_form.html", {"form": form, "series": series})


@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session, _ = _session(request, pk, need="change")
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            pd_services.session_update(session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Saved."))
            return redirect(session)
    return render(request, "pd/session_form.html", {"form": form, "series": session.series, "session": session})


@require_http_methods(["GET", "POST"])
def session_delete(request, pk):
    session, facts = _session(request, pk, need="change")
    has_review = bool(session.memo.strip()) or session.evidence.exists()
    if not access.may_delete_pd_session(
        request.user, district=facts["district"], facilitator_ids=facts["facilitator_ids"], has_review=has_review
    ):
        raise PermissionDenied(gettext("This session has a facilitation review: only district leaders may delete it."))
    if request.method == "POST":
        series = session.series
        pd_services.session_delete(session=session)
        messages.success(request, gettext("“%(title)s” was deleted.") % {"title": session})
        return redirect(series)
    return render(request, "pd/confirm_delete.html", {"series": session.series, "session": session, "obj": session})


@require_GET
def session_detail(request, pk):
    session, facts = _session(request, pk)
    may_change = access.may_change_pd_session(
        request.user, district=facts["district"], facilitator_ids=facts["facilitator_ids"]
    )
    may_feedback = access.may_see_pd_feedback(
        request.user, district=facts["district"], facilitator_ids=facts["facilitator_ids"]
    )
    context = {
        "session": session,
        "series": session.series,
        "agenda": pd_selectors.agenda(session),
        "goals": list(session.goals.all()),
        "series_goals": list(session.series.goals.all()),
        "may_change": may_change,
        "may_review": _may(request, facts, "review"),
        "checkin_open": session.checkin_open(),
        "n_present": session.attendance.count(),
        "mine": session.attendance.filter(user=request.user).first(),
        "may_feedback": may_feedback,
        "survey_open": session.feedback is not None and session.feedback.is_open(),
    }
    if may_feedback:
        context["feedback"] = pd_selectors.feedback(session)
        previous = pd_selectors.previous_session_with_feedback(session)
        context["last_time"] = pd_selectors.feedback(previous) if previous else None
    return render(request, "pd/session_detail.html", context)


# --- the agenda -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activity_add(request, pk):
    session, _ = _session(request, pk, need="change")
    form = ActivityForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            pd_services.activity_add(session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Activity added to the agenda."))
            return redirect(session)
    return render(request, "pd/activity_form.html", {"form": form, "session": session, "series": session.series})


def _activity(request, pk) -> Activity:
    activity = access.get_in_districts(
        request.user, Activity.objects.select_related("session"), via="session__series__district", pk=pk
    )
    session, _ = _session(request, activity.session_id, need="change")
    activity.session = session
    return activity


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = _activity(request, pk)
    session = activity.session
    form = ActivityForm(request.POST or None, instance=activity, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            pd_services.activity_update(activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Saved."))
            return redirect(session)
    return render(
        request,
        "pd/activity_form.html",
        {"form": form, "session": session, "series": session.series, "activity": activity},
    )


@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    activity = _activity(request, pk)
    if request.method == "POST":
        pd_services.activity_delete(activity=activity)
        messages.success(request, gettext("“%(title)s” was removed from the agenda.") % {"title": activity})
        return redirect(activity.session)
    return render(
        request,
        "pd/confirm_delete.html",
        {"series": activity.session.series, "session": activity.session, "activity": activity, "obj": activity},
    )


@require_POST
def activity_move(request, pk):
    activity = _activity(request, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise BadRequest("Unknown direction.")
    pd_services.activity_move(activity=activity, direction=direction)
    return redirect(f"{activity.session.get_absolute_url()}#agenda")


# --- check-in and attendance ----------------------------------------------------------------


@require_POST
def checkin_toggle(request, pk):
    session, _ = _session(request, pk, need="change")
    if request.POST.get("action") == "close":
        pd_services.checkin_close(session=session)
        messages.success(request, gettext("Check-in is closed."))
        return redirect(session)
    pd_services.checkin_open(session=session)
    return redirect("pd:checkin_present", pk=session.pk)


@require_GET
def checkin_present(request, pk):
    session, _ = _session(request, pk, need="change")
    return _present(
        request,
        session,
        what="checkin",
        code=session.checkin_code,
        link=request.build_absolute_uri(reverse("pd:checkin_code", args=[session.checkin_code or "-"])),
        count=session.attendance.count(),
        is_open=session.checkin_open(),
        closes_at=session.checkin_closes_at,
        count_url=reverse("pd:checkin_count", args=[session.pk]),
        early_days=pd_selectors.checkin_days_early(session, timezone.localdate()) if session.checkin_open() else 0,
    )


@never_cache
@require_GET
def checkin_count(request, pk):
    session, _ = _session(request, pk, need="change")
    return JsonResponse({"count": session.attendance.count(), "open": session.checkin_open()})


@require_http_methods(["GET", "POST"])
def check_in(request, code=""):
    """A participant signs in to the session showing a code (typed, or from the QR code's link)."""
    form = CheckInForm(request.POST or None, initial={"code": code if code != "-" else ""})
    if request.method == "POST" and form.is_valid():
        try:
            session = pd_services.check_in(user=request.user, code=form.cleaned_data["code"])
        except pd_services.CheckInError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, gettext("You are checked in to “%(session)s”. Welcome!") % {"session": session})
            facts = pd_selectors.series_facts(session.series)
            if access.may_see_pd_series(request.user, **facts):
                return redirect(session)
            return redirect("pd:index")
    status = 400 if form.errors else 200
    return render(request, "pd/checkin.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def session_attendance(request, pk):
    """The facilitator ticks who came (everyone the series is for, and whoever checked in)."""
    session, _ = _session(request, pk, need="change")
    checked = {a.user_id: a for a in session.attendance.select_related("user")}
    people = list(pd_selectors.audience_people(session.series))
    listed = {p.pk for p in people}
    people += sorted((a.user for uid, a in checked.items() if uid not in listed), key=lambda u: u.full_name)
    if request.method == "POST":
        ticked = {pd_services.small_int(v) for v in request.POST.getlist("present")}
        shown = {pd_services.small_int(v) for v in request.POST.getlist("shown")}
        drawn_at = parse_datetime(request.POST.get("drawn_at", ""))
        if None in ticked | shown or drawn_at is None:
            raise BadRequest("Attendance names people by number, with the time the list was drawn.")
        added, removed = pd_services.mark_attendance(
            session=session, present_ids=ticked, allowed_ids=shown & {p.pk for p in people}, drawn_at=drawn_at
        )
        messages.success(
            request,
            gettext("Attendance saved: %(added)s added, %(removed)s removed.") % {"added": added, "removed": removed},
        )
        return redirect(session)
    rows = [{"person": p, "mark": checked.get(p.pk)} for p in people]
    return render(
        request,
        "pd/session_attendance.html",
        {"session": session, "series": session.series, "rows": rows, "drawn_at": timezone.now().isoformat()},
    )


# --- session feedback -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def feedback_open(request, pk):
    session, _ = _session(request, pk, need="feedback")
    if session.feedback_id:
        return redirect("pd:feedback_present", pk=session.pk)
    form = FeedbackOpenForm(request.POST or None, district=session.series.district)
    if request.method == "POST" and form.is_valid():
        try:
            pd_services.feedback_open(
                session=session,
                instrument=form.cleaned_data["instrument"],
                opened_by=request.user,
                minutes=form.cleaned_data["minutes"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("pd:feedback_present", pk=session.pk)
    return render(request, "pd/feedback_open.html", {"form": form, "session": session, "series": session.series})


@require_GET
def feedback_present(request, pk):
    session, _ = _session(request, pk, need="feedback")
    survey = session.feedback
    if survey is None:
        return redirect("pd:feedback_open", pk=session.pk)
    return _present(
        request,
        session,
        what="feedback",
        code=survey.code,
        link=request.build_absolute_uri(reverse("survey:survey", args=[survey.code])),
        count=survey.responses.count(),
        is_open=survey.is_open(),
        closes_at=survey.closes_at,
        count_url=reverse("pd:feedback_count", args=[session.pk]),
    )


@never_cache
@require_GET
def feedback_count(request, pk):
    session, _ = _session(request, pk, need="feedback")
    survey = session.feedback
    if survey is None:
        return JsonResponse({"count": 0, "open": False})
    return JsonResponse({"count": survey.responses.count(), "open": survey.is_open()})


@require_POST
def feedback_close(request, pk):
    session, _ = _session(request, pk, need="feedback")
    pd_services.feedback_close(session=session)
    messages.success(request, gettext("The feedback survey is closed."))
    return redirect(session)


# --- the facilitation review ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_review(request, pk):
    """Code the session's video: evidence of stasis or improvement per leader and goal, and the memo."""
    session, facts = _session(request, pk, need="review")
    memo_form = MemoForm(initial={"memo": session.memo}, prefix="memo")
    form = EvidenceForm(session=session)
    if request.method == "POST":
        if "memo-memo" in request.POST:
            memo_form = MemoForm(request.POST, prefix="memo")
            if memo_form.is_valid():
                pd_services.memo_save(session=session, text=memo_form.cleaned_data["memo"], by=request.user)
                messages.success(request, gettext("Analytic memo saved."))
                return redirect("pd:session_review", pk=session.pk)
        else:
            form = EvidenceForm(request.POST, session=session)
            if form.is_valid():
                try:
                    pd_services.evidence_add(session=session, recorded_by=request.user, **form.service_data())
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, gettext("Evidence recorded."))
                    return redirect(f"{reverse('pd:session_review', args=[session.pk])}#evidence")
    evidence = session.evidence.select_related("leader", "recorded_by").order_by("clip_start", "pk")
    for e in evidence:
        e.start_label = pd_services.format_clock(e.clip_start)
        e.end_label = pd_services.format_clock(e.clip_end)
    status = 400 if form.errors or memo_form.errors else 200
    return render(
        request,
        "pd/session_review.html",
        {
            "session": session,
            "series": session.series,
            "form": form,
            "memo_form": memo_form,
            "evidence": evidence,
            "agenda": pd_selectors.agenda(session),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def evidence_delete(request, pk):
    evidence = access.get_in_districts(
        request.user, FacilitationEvidence.objects.select_related("session"), via="session__series__district", pk=pk
    )
    session, _ = _session(request, evidence.session_id, need="review")
    if request.method == "POST":
        pd_services.evidence_delete(evidence=evidence)
        messages.success(request, gettext("Evidence deleted."))
        return redirect("pd:session_review", pk=session.pk)
    return render(
        request,
        "pd/confirm_delete.html",
        {"series": session.series, "session": session, "evidence": evidence, "obj": evidence},
    )
