"""Staff pages for practical measures: start and present a survey, results, trends, exports.

Views are thin: access comes from districts.access, every survey number from
measures.publication (which decides what this viewer may see), figures from measures.charts.
"""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districts import access
from districts import selectors as district_selectors
from districts import services as district_services
from districts.csv_export import csv_response

from . import aggregation, charts, markers, publication, services
from .forms import SharingForm, StartSurveyForm, TrendFilterForm
from .instruments import current_instrument_for, default_student_instrument
from .models import Administration, Scope


@require_GET
def index(request):
    user = request.user
    rooms = (
        access.classrooms_with_results(user)
        .select_related("school", "teacher")
        .annotate(last_survey=Max("administrations__opened_at"))
        .order_by("school__name", "teacher__full_name", "period")
    )
    page = Paginator(rooms, 25).get_page(request.GET.get("page"))
    district_links = [d for d in access.districts(user) if access.may_see_district_aggregates(user, d)]
    return render(
        request,
        "measures/index.html",
        {
            "page": page,
            "schools": access.schools_with_aggregates(user).order_by("name"),
            "districts": district_links,
            "runnable": {c.pk for c in page.object_list if access.may_run_surveys(user, c)},
        },
    )


def _trend_context(request, *, scope: str, scope_id: int, min_n: int, classroom=None, district=None):
    """The instrument/item/date filter and the run charts for one scope, as this viewer may see them."""
    instruments = aggregation.lineages_with_data(scope=scope, scope_ids=[scope_id])
    chosen = instruments[0] if instruments else None
    wanted = request.GET.get("instrument")
    for instrument in instruments:
        if str(instrument.lineage) == wanted:
            chosen = instrument
    items = aggregation.item_labels(chosen) if chosen else []
    form = TrendFilterForm(request.GET or None, instruments=instruments, items=items)
    since = until = None
    item_order = aggregation.INDEX
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        item_order = form.cleaned_data["item"] or aggregation.INDEX
    context = {"filter_form": form, "instrument": chosen, "charts": [], "plan": None}
    if chosen is None:
        return context
    plan = None
    if district is not None:  # one set of decisions for every chart and table of the page
        plan = publication.Plan(
            viewer=publication.Viewer.of(request.user, district),
            district=district,
            lineage=chosen.lineage,
            since=since,
            until=until,
        )
    context.update(plan=plan, since=since, until=until)
    marks = markers.for_classroom(classroom, since=since, until=until) if classroom is not None else []
    orders = [item_order] if item_order != aggregation.INDEX else [aggregation.INDEX] + [o for o, _ in items]
    labels = dict(items)
    found = publication.trends(
        request.user,
        scope=scope,
        scope_id=scope_id,
        lineage=chosen.lineage,
        item_orders=orders,
        since=since,
        until=until,
        plan=plan,
    )
    # One time axis for every chart of the page, so weeks and marks line up from chart to chart.
    days = [p.week for _, series in found for p in series.points] + [m.day for m in marks]
    x_range = (min(days), max(days)) if days else None
    small = classroom is not None and len(found) > 1  # the classroom page: items as small multiples
    week_labels: dict = {}  # each week's date as the numbers tables show it, made once per page
    for order, series in found:
        title = _("Overall: share of productive answers") if order == aggregation.INDEX else f"{order}. {labels[order]}"
        a = series.analysis
        context["charts"].append(
            {
                "id": f"chart-{order}",
                "title": title,
                "summary": charts.signal_summary(series),
                "brief": charts.signal_brief(series),
                "signal": a.runs_signal,
                "median": None if a.center is None else round(100 * a.center),
                "index": order == aggregation.INDEX,
                "figure": charts.run_chart_spec(
                    series, markers=marks, x_range=x_range, compact=small and order != aggregation.INDEX
                ),
                "points": series.points,
                "numbers": charts.numbers_rows(series, week_labels),
                "min_n": min_n,
            }
        )
    context["marks"] = marks
    return context


@require_GET
@publication.in_snapshot
def classroom(request, classroom_id):
    room = access.get_classroom(request.user, classroom_id, need="results")
    district = room.school.district
    surveys = (
        Administration.objects.filter(classroom=room).select_related("instrument", "summary").order_by("-opened_at")
    )
    page = Paginator(surveys, 10).get_page(request.GET.get("page"))
    counts = publication.survey_counts(page.object_list)
    for survey in page.object_list:
        survey.published_n = counts[survey.pk]
    context = {
        "classroom": room,
        "page": page,
        "min_n": district.min_group_size,
        "may_run": access.may_run_surveys(request.user, room),
        "may_share": access.may_change_sharing(request.user, room),
        **_trend_context(
            request, scope=Scope.CLASSROOM, scope_id=room.pk, min_n=district.min_group_size, classroom=room
        ),
    }
    return render(request, "measures/classroom.html", context)


@require_http_methods(["GET", "POST"])
def administration_start(request, classroom_id):
    room = access.get_classroom(request.user, classroom_id, need="run")
    default = default_student_instrument(room)
    form = StartSurveyForm(
        request.POST or None,
        district=room.school.district,
        default=default,
        continues=default is not None and default == current_instrument_for(room),
    )
    if request.method == "POST" and form.is_valid():
        administration = services.administration_open(
            classroom=room,
            instrument=form.cleaned_data["instrument"],
            opened_by=request.user,
            minutes=form.cleaned_data["minutes"],
            lesson_note=form.cleaned_data["lesson_note"],
        )
        return redirect("measures:administration_present", administration.pk)
    return render(request, "measures/administration_start.html", {"classroom": room, "form": form})


@require_http_methods(["GET", "POST"])
def sharing(request):
    """A teacher's "Who sees my results": one control per classroom and audience, and what each
    audience sees now. A change reaches every page and export on the next request."""
    rows = district_selectors.sharing_overview(request.user)
    if not rows:
        raise PermissionDenied(_("Only teachers share their classrooms' results."))
    # An empty POST (every box unticked) is a real choice: bind on the method, not on the data.
    form = SharingForm(request.POST if request.method == "POST" else None, classrooms=[room for room, _ in rows])
    if request.method == "POST" and form.is_valid():
        for room, chosen in form.choices():
            district_services.classroom_sharing_set(classroom=room, **chosen)
        for room, students in form.student_counts():
            district_services.classroom_student_count_set(classroom=room, students=students)
        messages.success(request, _("Saved. Every page and export now follows these choices."))
        return redirect("measures:sharing")
    rows = [(room, audiences, form.students_field(room)) for room, audiences in rows]
    return render(request, "measures/sharing.html", {"rows": rows, "form": form})


def _administration(request, administration_id, need):
    administration = access.get_in_districts(
        request.user,
        Administration.objects.select_related("instrument", "classroom__school__district", "district"),
        pk=administration_id,
    )
    access.get_classroom(request.user, administration.classroom_id, need=need)
    return administration


def _class_size_warning(live: publication.LiveCount) -> str:
    """The teacher's warning when more responses arrived than her class has students; else ""."""
    if not live.beyond_class_size:
        return ""
    students = ngettext(
        "this class has %(students)d student", "this class has %(students)d students", live.students
    ) % {"students": live.students}
    return _(
        "%(n)d responses, but %(students)s: someone may have answered more than once. "
        "You can close the survey, or check the results with that in mind."
    ) % {"n": live.n, "students": students}


@require_GET
def administration(request, administration_id):
    survey = _administration(request, administration_id, "results")
    results = publication.survey_results(survey)
    live = publication.live_count(survey, request.user)
    figures = [
        {
            "id": f"dist-{i}",
            "item": item,
            # No option counts once the raw answers are past retention: the share stays, no chart.
            "figure": charts.distribution_chart(results, item_index=i) if item.options else None,
        }
        for i, item in enumerate(results.items)
        if not item.suppressed
    ]
    return render(
        request,
        "measures/administration_detail.html",
        {
            "survey": survey,
            "instrument_name": survey.instrument.display_name(get_language()),
            "classroom": survey.classroom,
            "results": results,
            "figures": figures,
            "live_count": live.n,
            "class_size_warning": _class_size_warning(live),
            "may_run": access.may_run_surveys(request.user, survey.classroom),
            "is_open": survey.is_open(),
        },
    )


@require_GET
def administration_present(request, administration_id):
    survey = _administration(request, administration_id, "run")
    link = request.build_absolute_uri(reverse("survey:survey", args=[survey.code]))
    qr = segno.make(link, error="m").svg_inline(scale=8, dark="#000", light="#fff", omitsize=True)
    live = publication.live_count(survey, request.user)
    return render(
        request,
        "measures/administration_present.html",
        {
            "survey": survey,
            "classroom": survey.classroom,
            "link": link,
            "qr": qr,
            "count": live.n,
            "class_size_warning": _class_size_warning(live),
            "is_open": survey.is_open(),
        },
    )


@never_cache
@require_GET
def administration_count(request, administration_id):
    survey = _administration(request, administration_id, "run")
    live = publication.live_count(survey, request.user)
    return JsonResponse({"count": live.n, "open": survey.is_open(), "warning": _class_size_warning(live)})


@require_POST
def administration_close(request, administration_id):
    survey = _administration(request, administration_id, "run")
    services.administration_close(administration=survey)
    messages.success(request, _("Survey %(code)s is closed.") % {"code": survey.code})
    return redirect(survey)


@require_GET
@publication.in_snapshot
def school(request, school_id):
    where = access.get_school(request.user, school_id, need="aggregates")
    min_n = where.district.min_group_size
    context = {"school": where, "min_n": min_n}
    context.update(_trend_context(request, scope=Scope.SCHOOL, scope_id=where.pk, min_n=min_n, district=where.district))
    if context["instrument"] is not None:
        tables = publication.school_breakdowns(request.user, where, context["instrument"].lineage, plan=context["plan"])
        context.update(_breakdowns(grades=tables["grades"], rooms=tables["rooms"]))
    return render(request, "measures/school.html", context)


def _breakdown_labels() -> dict[str, tuple[str, str]]:
    """Each breakdown's title and first column heading, in the reader's language."""
    return {
        "schools": (_("By school"), _("School")),
        "grades": (_("By grade"), _("Grade")),
        "rooms": (_("By classroom"), _("Classroom")),
    }


def _breakdowns(**tables):
    out = {}
    labels = _breakdown_labels()
    for name, table in tables.items():
        title, column = labels[name]
        out[name] = {
            "id": f"bd-{name}",
            "title": title,
            "column": column,
            "cells": table.rows,
            "total": table.total,
            "note": table.note,
            "shown": any(not f.withheld for f in table.rows),
            "figure": charts.breakdown_chart(table.rows, title=title),
        }
    return {"breakdowns": out}


@require_GET
@publication.in_snapshot
def district(request, district_id):
    where = access.get_district(request.user, district_id)
    if not access.may_see_district_aggregates(request.user, where):
        raise PermissionDenied(_("You may not see district results."))
    min_n = where.min_group_size
    context = {"district": where, "min_n": min_n}
    if access.is_district_leader(request.user, where):
        context["retention_runs"] = list(where.retention_runs.all()[:3])
    context.update(_trend_context(request, scope=Scope.DISTRICT, scope_id=where.pk, min_n=min_n, district=where))
    if context["instrument"] is not None:
        tables = publication.district_breakdowns(
            request.user, where, context["instrument"].lineage, plan=context["plan"]
        )
        context.update(_breakdowns(schools=tables["schools"], grades=tables["grades"]))
    return render(request, "measures/district.html", context)


@require_GET
@publication.in_snapshot
def classroom_export(request, classroom_id):
    """Weekly aggregates (suppressed) for anyone who sees the results; raw answers for the teacher."""
    if request.GET.get("raw"):
        room = access.get_classroom(request.user, classroom_id, need="share")
        return csv_response(f"classroom-{room.pk}-answers.csv", publication.raw_answer_rows(room))
    room = access.get_classroom(request.user, classroom_id, need="results")
    return csv_response(
        f"classroom-{room.pk}-weekly.csv",
        publication.trend_rows(request.user, scope=Scope.CLASSROOM, scope_id=room.pk),
    )


@require_GET
@publication.in_snapshot
def district_export(request, district_id):
    where = access.get_district(request.user, district_id)
    if not access.may_see_district_aggregates(request.user, where):
        raise PermissionDenied(_("You may not export district results."))

    return csv_response(
        f"{where.slug}-weekly.csv", publication.trend_rows(request.user, scope=Scope.DISTRICT, scope_id=where.pk)
    )
