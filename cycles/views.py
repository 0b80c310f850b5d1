"""Improvement planning pages: priorities board (+ Five Whys), logic models, the practice library,
improvement cycles with their steps, tree and timeline, and the benchmark calendar.

Views are thin: access from districts.access, writes through cycles.services, numbers from
cycles.selectors (which reads measures.publication), figures from cycles.charts.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districts import access
from districts.formtools import add_service_errors
from measures import charts as measure_charts

from . import charts, diagram, practice_panels, selectors, services
from .forms import (
    ArrowForm,
    BenchmarkWindowForm,
    CycleFilterForm,
    CycleForm,
    CycleMeasureForm,
    ElementForm,
    MeasureLinkForm,
    PracticeForm,
    PriorityForm,
    StepForm,
    WhyForm,
)
from .models import (
    STEPS,
    CycleScope,
    CycleStep,
    Decision,
    DistrictBenchmarkWindow,
    ElementKind,
    FiveWhy,
    ImprovementCycle,
    LogicArrow,
    LogicElement,
    OutcomeMeasure,
    Practice,
    PracticeSource,
    Priority,
    PriorityStatus,
    StepKind,
)

# --- helpers --------------------------------------------------------------------------------


def _priority(request, pk, *, need="view") -> Priority:
    priority = access.get_in_districts(request.user, Priority.objects.select_related("district", "school"), pk=pk)
    access.check_plan(request.user, district=priority.district_id, school=priority.school_id, need=need)
    return priority


def _cycle(request, pk, *, need="view") -> ImprovementCycle:
    cycle = access.get_in_districts(
        request.user,
        ImprovementCycle.objects.select_related(
            "district", "owner", "school", "classroom__school", "classroom__teacher", "parent", "priority", "practice"
        ).prefetch_related("team"),
        pk=pk,
    )
    access.check_cycle(request.user, need=need, **selectors.cycle_facts(cycle))
    return cycle


def _direction(request) -> str:
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        raise Http404("No such direction")
    return direction


# --- priorities -----------------------------------------------------------------------------


@require_GET
def priorities(request):
    district = access.current_district(request.user, request.GET.get("district"))
    access.check_plan(request.user, district=district)
    rows = Priority.objects.filter(district=district).select_related("school").annotate(n_whys=Count("whys"))
    years = sorted(set(rows.values_list("school_year", flat=True)) | {district.current_school_year()}, reverse=True)
    year = request.GET.get("year") or str(district.current_school_year())
    status = request.GET.get("status", "")
    school = request.GET.get("school", "")
    if year != "all":
        rows = rows.filter(school_year=int(year)) if year.isdigit() else rows.none()
    if status in PriorityStatus.values:
        rows = rows.filter(status=status)
    if school == "district":
        rows = rows.filter(school=None)
    elif school.isdigit():
        rows = rows.filter(school_id=int(school))
    board = list(rows.order_by("school_year", "rank", "title"))
    whys = {}
    for step in FiveWhy.objects.filter(priority__in=board).order_by("order"):
        whys[step.priority_id] = step  # the last one wins: the root cause
    for p in board:
        p.root_cause = whys.get(p.pk)
    return render(
        request,
        "cycles/priority_list.html",
        {
            "district": district,
            "board": board,
            "years": years,
            "year": year,
            "status": status,
            "school": school,
            "statuses": PriorityStatus.choices,
            "schools": district.schools.order_by("name"),
            "may_add": access.may_change_plan(request.user, district=district)
            or access.plan_schools(request.user, district).exists(),
            "may_reorder": access.may_change_plan(request.user, district=district),
        },
    )


@require_http_methods(["GET", "POST"])
def priority_add(request):
    district = access.current_district(request.user, request.GET.get("district"))
    access.check_plan(request.user, district=district)
    schools = access.plan_schools(request.user, district)
    district_wide = access.may_change_plan(request.user, district=district)
    if not district_wide and not schools.exists():
        raise PermissionDenied(_("Only district leaders and principals add priorities."))
    form = PriorityForm(request.POST or None, district=district, schools=schools, district_wide=district_wide)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        practices = data.pop("practices")
        try:
            priority = services.priority_create(district=district, created_by=request.user, practices=practices, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Priority added. Now ask why, five times."))
            return redirect(priority)
    return render(request, "cycles/priority_form.html", {"form": form, "district": district})


@require_http_methods(["GET", "POST"])
def priority_edit(request, pk):
    priority = _priority(request, pk, need="change")
    district = priority.district
    schools = access.plan_schools(request.user, district)
    district_wide = access.may_change_plan(request.user, district=district)
    form = PriorityForm(
        request.POST or None, instance=priority, district=district, schools=schools, district_wide=district_wide
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.PRIORITY_FIELDS}
        try:
            services.priority_update(priority=priority, practices=form.cleaned_data["practices"], **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Priority saved."))
            return redirect(priority)
    return render(request, "cycles/priority_form.html", {"form": form, "priority": priority, "district": district})


@require_GET
def priority_detail(request, pk):
    priority = _priority(request, pk)
    whys = list(priority.whys.order_by("order"))
    may_change = access.may_change_plan(request.user, district=priority.district_id, school=priority.school_id)
    cycles = selectors.visible_cycles(request.user).filter(priority=priority).order_by("start")
    outcomes = OutcomeMeasure.objects.filter(element__logic_model__priority=priority).select_related("element")
    return render(
        request,
        "cycles/priority_detail.html",
        {
            "priority": priority,
            "whys": [(step, WhyForm(instance=step, prefix=f"why{step.pk}")) for step in whys],
            "root_cause": whys[-1] if whys else None,
            "data_links": selectors.link_labels(priority.links),
            "why_form": WhyForm(),
            "may_change": may_change,
            "practices": priority.practices.all(),
            "cycles": cycles,
            "logic_model": getattr(priority, "logic_model", None),
            "may_start": bool(access.cycle_scopes(request.user, priority.district_id)),
            "outcomes": [(link, selectors.measure_label(link)) for link in outcomes],
        },
    )


@require_http_methods(["GET", "POST"])
def priority_delete(request, pk):
    priority = _priority(request, pk, need="change")
    if request.method == "POST":
        services.priority_delete(priority=priority)
        messages.success(request, _("Priority “%(title)s” deleted.") % {"title": priority})
        return redirect("cycles:priorities")
    return render(request, "cycles/priority_confirm_delete.html", {"priority": priority})


@require_POST
def priority_move(request, pk):
    priority = _priority(request, pk, need="change")
    if not access.may_change_plan(request.user, district=priority.district_id):
        raise PermissionDenied(_("Only district leaders rank the district's priorities."))
    services.priority_move(priority=priority, direction=_direction(request))
    return redirect(f"{reverse('cycles:priorities')}?year={priority.school_year}")


# --- five whys ------------------------------------------------------------------------------


@require_POST
def why_add(request, pk):
    priority = _priority(request, pk, need="change")
    form = WhyForm(request.POST)
    if form.is_valid():
        services.why_add(priority=priority, **form.cleaned_data)
    else:
        messages.error(request, _("A why needs both the question and its answer."))
    return redirect(f"{priority.get_absolute_url()}#whys")


def _why(request, pk) -> FiveWhy:
    step = access.get_in_districts(
        request.user, FiveWhy.objects.select_related("priority"), via="priority__district", pk=pk
    )
    _priority(request, step.priority_id, need="change")
    return step


@require_POST
def why_edit(request, pk):
    step = _why(request, pk)
    form = WhyForm(request.POST, instance=step, prefix=f"why{step.pk}")
    if form.is_valid():
        services.why_update(step=step, why=form.cleaned_data["why"], because=form.cleaned_data["because"])
        messages.success(request, _("Why %(n)s saved.") % {"n": step.order})
    else:
        messages.error(request, _("A why needs both the question and its answer."))
    return redirect(f"{step.priority.get_absolute_url()}#whys")


@require_POST
def why_move(request, pk):
    step = _why(request, pk)
    services.why_move(step=step, direction=_direction(request))
    return redirect(f"{step.priority.get_absolute_url()}#whys")


@require_POST
def why_delete(request, pk):
    step = _why(request, pk)
    services.why_delete(step=step)
    messages.success(request, _("Why removed."))
    return redirect(f"{step.priority.get_absolute_url()}#whys")


# --- logic models ---------------------------------------------------------------------------


def _by_column(elements):
    order = {kind: n for n, kind in enumerate(ElementKind.values)}
    return sorted(elements, key=lambda e: (order[e.kind], e.order, e.pk))


def _diagram(request, logic_model, *, inline=False) -> str:
    elements = list(logic_model.elements.select_related("measure").order_by("kind", "order", "pk"))
    statuses = {}
    for e in elements:
        link = getattr(e, "measure", None) if e.is_outcome else None
        if link is not None:
            statuses[e.pk] = selectors.outcome_status(link, user=request.user)
    arrows = list(logic_model.arrows.values_list("source_id", "target_id"))
    boxes = diagram.boxes_from(_by_column(elements), statuses)
    return diagram.render(boxes, arrows, title=logic_model.priority.title, inline=inline)


@require_http_methods(["GET", "POST"])
def logic_model(request, pk):
    priority = _priority(request, pk)
    may_change = access.may_change_plan(request.user, district=priority.district_id, school=priority.school_id)
    model = getattr(priority, "logic_model", None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(_("Only district leaders, or the school's principal, may change this."))
        model = services.logic_model_for(priority=priority)
        return redirect(model)
    context = {
        "priority": priority,
        "model": model,
        "may_change": may_change,
        "may_start": bool(access.cycle_scopes(request.user, priority.district_id)),
    }
    if model is not None:
        elements = _by_column(model.elements.select_related("measure"))
        for e in elements:
            link = getattr(e, "measure", None) if e.is_outcome else None
            e.measure_name = selectors.measure_short_label(link) if link is not None else ""
        context.update(
            svg=mark_safe(_diagram(request, model, inline=True)),  # built from escaped text in cycles.diagram
            elements=elements,
            arrows=model.arrows.select_related("source", "target"),
            element_form=ElementForm(),
            arrow_form=ArrowForm(elements=elements, initial=selectors.arrow_defaults(elements)),
            outcomes=[e for e in elements if e.is_outcome],
        )
    return render(request, "cycles/logic_model.html", context)


def _model_for_change(request, pk):
    priority = _priority(request, pk, need="change")
    return services.logic_model_for(priority=priority)


@require_POST
def element_add(request, pk):
    model = _model_for_change(request, pk)
    form = ElementForm(request.POST)
    if form.is_valid():
        services.element_add(logic_model=model, **form.cleaned_data)
    else:
        messages.error(request, _("A box needs its kind and its text."))
    return redirect(model)


def _element(request, pk) -> LogicElement:
    element = access.get_in_districts(
        request.user,
        LogicElement.objects.select_related("logic_model__priority"),
        via="logic_model__priority__district",
        pk=pk,
    )
    _priority(request, element.logic_model.priority_id, need="change")
    return element


@require_http_methods(["GET", "POST"])
def element_edit(request, pk):
    element = _element(request, pk)
    form = ElementForm(request.POST or None, initial={"kind": element.kind, "text": element.text})
    if request.method == "POST" and form.is_valid():
        services.element_update(element=element, **form.cleaned_data)
        messages.success(request, _("Box saved."))
        return redirect(element.logic_model)
    return render(request, "cycles/element_form.html", {"form": form, "element": element})


@require_http_methods(["GET", "POST"])
def element_delete(request, pk):
    element = _element(request, pk)
    if request.method == "POST":
        services.element_delete(element=element)
        messages.success(request, _("Box removed, with its arrows."))
        return redirect(element.logic_model)
    return render(request, "cycles/element_confirm_delete.html", {"element": element})


@require_POST
def arrow_add(request, pk):
    model = _model_for_change(request, pk)
    elements = list(model.elements.all())
    form = ArrowForm(request.POST, elements=elements)
    if form.is_valid():
        by_id = {e.pk: e for e in elements}
        try:
            services.arrow_add(
                logic_model=model, source=by_id[form.cleaned_data["source"]], target=by_id[form.cleaned_data["target"]]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(form.non_field_errors()) or _("Choose two boxes."))
    return redirect(model)


@require_POST
def arrow_delete(request, pk):
    arrow = access.get_in_districts(
        request.user, LogicArrow.objects.select_related("logic_model"), via="logic_model__priority__district", pk=pk
    )
    _priority(request, arrow.logic_model.priority_id, need="change")
    arrow.delete()
    return redirect(arrow.logic_model)


@require_http_methods(["GET", "POST"])
def outcome_link(request, pk):
    element = _element(request, pk)
    if not element.is_outcome:
        raise Http404("Only outcomes are linked to measures")
    district = element.logic_model.priority.district
    link = OutcomeMeasure.objects.filter(element=element).first()
    places = selectors.scope_choices(request.user, district)
    defaults, with_data = selectors.measure_defaults(places, district=district)
    form = MeasureLinkForm(
        request.POST or None,
        initial=MeasureLinkForm.initial_for(link) or defaults,
        measures=selectors.measure_choices(district, first=with_data),
        places=places,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.outcome_link(
            element=element,
            lineage=data["lineage"],
            item_order=data["item_order"],
            scope=data["scope"],
            scope_id=data["scope_id"],
            target_percent=data["target_percent"],
        )
        messages.success(request, _("Outcome linked to the measure."))
        return redirect(element.logic_model)
    return render(request, "cycles/measure_link_form.html", {"form": form, "element": element, "link": link})


@require_GET
def logic_model_svg(request, pk):
    priority = _priority(request, pk)
    model = getattr(priority, "logic_model", None)
    if model is None:
        raise Http404("No logic model yet")
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + _diagram(request, model), content_type="image/svg+xml"
    )
    response["Content-Disposition"] = f'attachment; filename="logic-model-{priority.pk}.svg"'
    return response


# --- practice library -----------------------------------------------------------------------


@require_GET
def practices(request):
    district = access.current_district(request.user, request.GET.get("district"))
    source = request.GET.get("source", "")
    rows = selectors.practices_for(district).annotate(
        n_priorities=Count("priorities", filter=Q(priorities__district=district), distinct=True),
        n_cycles=Count("cycles", filter=Q(cycles__district=district), distinct=True),
    )
    if source in PracticeSource.values:
        rows = rows.filter(source=source)
    page = Paginator(rows.order_by("source", "guide", "order"), 40).get_page(request.GET.get("page"))
    return render(
        request,
        "cycles/practice_list.html",
        {
            "page": page,
            "source": source,
            "sources": PracticeSource.choices,
            "may_add": access.is_district_leader(request.user, district),
        },
    )


@require_GET
def practice_detail(request, pk):
    practice = access.get_in_districts(request.user, Practice, library=True, pk=pk)
    return render(
        request,
        "cycles/practice_detail.html",
        {
            "practice": practice,
            "priorities": practice.priorities.filter(access.in_districts_q(request.user)),
            "cycles": selectors.visible_cycles(request.user).filter(practice=practice).order_by("-start"),
            "panels": practice_panels.panels_for(user=request.user, practice=practice),
        },
    )


@require_http_methods(["GET", "POST"])
def practice_add(request):
    district = access.current_district(request.user, request.GET.get("district"))
    access.require_district_leader(request.user, district)
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.practice_create(district=district, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Practice added to your district's library."))
            return redirect(practice)
    return render(request, "cycles/practice_form.html", {"form": form})


# --- cycles ---------------------------------------------------------------------------------


def _filtered(request):
    cycles = selectors.visible_cycles(request.user)
    years = sorted(set(cycles.values_list("school_year", flat=True)), reverse=True)
    form = CycleFilterForm(request.GET or None, years=years)
    if form.is_valid():
        data = form.cleaned_data
        if data["scope"]:
            cycles = cycles.filter(scope=data["scope"])
        if data["status"]:
            cycles = cycles.filter(status=data["status"])
        if data["owner"] == "me":
            cycles = cycles.filter(Q(owner=request.user) | Q(team=request.user)).distinct()
        if data["school_year"]:
            cycles = cycles.filter(school_year=data["school_year"])
    return cycles, form


@require_GET
def index(request):
    cycles, form = _filtered(request)
    page = Paginator(cycles.order_by("-start", "title"), 25).get_page(request.GET.get("page"))
    return render(request, "cycles/cycle_list.html", {"page": page, "filter_form": form, "tab": "list"})


@require_GET
def tree(request):
    cycles, form = _filtered(request)
    return render(
        request,
        "cycles/cycle_tree.html",
        {"nodes": selectors.cycle_tree(cycles[:500]), "filter_form": form, "tab": "tree"},
    )


@require_GET
def timeline(request):
    cycles, form = _filtered(request)
    nodes = selectors.cycle_tree(cycles[:200])
    figure = charts.timeline(nodes, today=timezone.localdate()) if nodes else None
    return render(
        request,
        "cycles/cycle_timeline.html",
        {"nodes": nodes, "figure": figure, "filter_form": form, "tab": "timeline"},
    )


def _cycle_form(request, district, *, instance=None, initial=None):
    user = request.user
    parents = selectors.visible_cycles(user).filter(district=district).exclude(status="abandoned")
    if instance is not None:
        parents = parents.exclude(pk=instance.pk)
    year = district.current_school_year()
    schools = access.plan_schools(user, district)
    if not schools.exists():  # a teacher's own-practice cycle may still name their school
        schools = access.schools(user).filter(district=district)
    return CycleForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        district=district,
        scopes=access.cycle_scopes(user, district),
        classrooms=access.classrooms_to_run(user).filter(school__district=district),
        schools=schools,
        parents=parents.order_by("-start"),
        quarters=services.quarter_defaults(district=district, school_year=year),
    )


def _may_start(request, district, data) -> bool:
    return access.may_start_cycle(
        request.user, district=district, scope=data["scope"], school=data.get("school"), classroom=data.get("classroom")
    )


def _refused_scope(scope: str) -> str:
    return _(
        "You may not start a cycle for this %(scope)s: a classroom cycle is its teacher's (or their coach's), a "
        "school cycle its principal's or the district leaders', a district cycle the leaders'. Choose another "
        "scope; “Teacher (own practice)” is always open to you."
    ) % {"scope": CycleScope(scope).label.lower()}


def _outcome(request) -> OutcomeMeasure | None:
    """The logic-model outcome a cycle is started from (`?outcome=<box id>`), if the user may see it."""
    outcome_id = request.GET.get("outcome", "")
    if not outcome_id.isdigit():
        return None
    element = access.get_in_districts(
        request.user,
        LogicElement.objects.select_related("logic_model__priority"),
        via="logic_model__priority__district",
        pk=int(outcome_id),
    )
    _priority(request, element.logic_model.priority_id)
    link = OutcomeMeasure.objects.filter(element=element).select_related("element__logic_model__priority").first()
    if link is None:
        raise Http404("This outcome has no linked measure")
    return link


@require_http_methods(["GET", "POST"])
def cycle_add(request):
    district = access.current_district(request.user, request.GET.get("district"))
    initial = {}
    outcome = _outcome(request)
    priority = None
    priority_id = request.GET.get("priority", "")
    if outcome is not None:
        priority = outcome.element.logic_model.priority
    elif priority_id.isdigit():
        priority = _priority(request, int(priority_id))
    if priority is not None:
        district = priority.district
        initial = selectors.cycle_initial(
            scopes=access.cycle_scopes(request.user, district), priority=priority, outcome=outcome
        )
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        parent = _cycle(request, int(parent_id))
        initial = {"parent": parent.pk, "start": parent.start, "end": parent.end, "priority": parent.priority_id}
    room_id = request.GET.get("classroom", "")
    if room_id.isdigit():
        initial.update(scope=CycleScope.CLASSROOM, classroom=int(room_id))
    form = _cycle_form(request, district, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        if not _may_start(request, district, data):
            # Kept on the page with what was typed: the menus offer only what the user may start,
            # so this is a stale page or a changed role, not a reason to lose the input.
            form.add_error("scope", _refused_scope(data["scope"]))
        else:
            try:
                cycle = services.cycle_create(district=district, owner=request.user, team=team, outcome=outcome, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if outcome is not None:
                    messages.success(request, _("Cycle started, judged by the outcome's measure: its data are below."))
                else:
                    messages.success(request, _("Cycle started. Link the measure that will show whether it works."))
                return redirect(cycle)
    return render(request, "cycles/cycle_form.html", {"form": form, "outcome": outcome, "priority": priority})


def _where(scope, school_id, classroom_id) -> tuple:
    """What may_start_cycle judges of a cycle's place: a change of it on edit is judged again."""
    return (
        scope,
        school_id if scope == CycleScope.SCHOOL else None,
        classroom_id if scope == CycleScope.CLASSROOM else None,
    )


@require_http_methods(["GET", "POST"])
def cycle_edit(request, pk):
    cycle = _cycle(request, pk, need="change")
    was = _where(cycle.scope, cycle.school_id, cycle.classroom_id)
    form = _cycle_form(request, cycle.district, instance=cycle)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        school, room = data.get("school"), data.get("classroom")
        moved = _where(data["scope"], school and school.pk, room and room.pk) != was
        if moved and not _may_start(request, cycle.district, data):
            form.add_error("scope", _refused_scope(data["scope"]))
        else:
            try:
                services.cycle_update(cycle=cycle, team=team, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Cycle saved."))
                return redirect(cycle)
    return render(request, "cycles/cycle_form.html", {"form": form, "cycle": cycle})


@require_http_methods(["GET", "POST"])
def cycle_delete(request, pk):
    cycle = _cycle(request, pk, need="change")
    if request.method == "POST":
        services.cycle_delete(cycle=cycle)
        messages.success(request, _("Cycle “%(title)s” deleted.") % {"title": cycle})
        return redirect("cycles:index")
    return render(request, "cycles/cycle_confirm_delete.html", {"cycle": cycle, "children": cycle.children.count()})


@require_GET
def cycle_detail(request, pk):
    cycle = _cycle(request, pk)
    may_change = access.may_change_cycle(
        request.user, **{k: v for k, v in selectors.cycle_facts(cycle).items() if k != "classroom"}
    )
    recorded = {s.kind: s for s in CycleStep.objects.filter(cycle=cycle).select_related("recorded_by")}
    order = STEPS[cycle.kind]
    current = next((k for k in order if k not in recorded), None)
    steps = []
    for kind in order:
        step = recorded.get(kind)
        form = None
        if may_change and kind == current:
            initial = services.plan_prefill(cycle) if kind == StepKind.PLAN else {}
            form = StepForm(initial=initial, kind=kind, cycle_kind=cycle.kind, prefix="step")
        steps.append({"kind": kind, "label": StepKind(kind).label, "step": step, "form": form})
    study = selectors.study_for(cycle, user=request.user)
    figure = None
    if study.comparison is not None:
        figure = charts.study_chart(study.comparison, title=study.label)
    plan = recorded.get(StepKind.PLAN)
    return render(
        request,
        "cycles/cycle_detail.html",
        {
            "cycle": cycle,
            "steps": steps,
            "current": current,
            "data_step": cycle.data_step,
            "may_change": may_change,
            "study": study,
            "study_summary": measure_charts.signal_summary(study.comparison.series) if study.comparison else "",
            "figure": figure,
            "prediction": plan.prediction if plan else "",
            "children": selectors.visible_cycles(request.user).filter(parent=cycle).order_by("start"),
            "follow_ups": cycle.follow_ups.order_by("start"),
        },
    )


@require_http_methods(["GET", "POST"])
def step_record(request, pk, kind):
    cycle = _cycle(request, pk, need="change")
    if kind not in STEPS[cycle.kind]:
        raise Http404("No such step")
    step = CycleStep.objects.filter(cycle=cycle, kind=kind).first()
    form = StepForm(request.POST or None, instance=step, kind=kind, cycle_kind=cycle.kind, prefix="step")
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name in services.STEP_FIELDS}
        try:
            services.step_record(cycle=cycle, kind=kind, recorded_by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.cleaned_data.get("start_next") and data.get("decision") != Decision.ABANDON:
                try:
                    follow_up = services.cycle_follow_up(cycle=cycle, owner=request.user)
                except ValidationError as exc:
                    messages.error(
                        request,
                        _("The next cycle could not be started: %(reasons)s") % {"reasons": " ".join(exc.messages)},
                    )
                else:
                    messages.success(request, _("The next cycle is ready: its plan is pre-filled from this one."))
                    return redirect(follow_up)
            messages.success(request, _("%(step)s recorded.") % {"step": StepKind(kind).label})
            return redirect(f"{cycle.get_absolute_url()}#step-{kind}")
    return render(request, "cycles/step_form.html", {"cycle": cycle, "form": form, "kind": StepKind(kind)})


@require_http_methods(["GET", "POST"])
def cycle_measure(request, pk):
    cycle = _cycle(request, pk, need="change")
    link = getattr(cycle, "measure", None)
    places = selectors.scope_choices(request.user, cycle.district)
    defaults, with_data = selectors.measure_defaults(
        places, district=cycle.district, classroom_id=cycle.classroom_id, school_id=cycle.school_id
    )
    form = CycleMeasureForm(
        request.POST or None,
        initial=MeasureLinkForm.initial_for(link) or defaults,
        measures=selectors.measure_choices(cycle.district, first=with_data),
        places=places,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_link(
                cycle=cycle,
                **{k: data[k] for k in ("lineage", "item_order", "scope", "scope_id", "target_percent")},
                baseline_start=data["baseline_start"],
                baseline_end=data["baseline_end"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Measure linked: the Study step now shows its run chart."))
            return redirect(cycle)
    return render(request, "cycles/measure_link_form.html", {"form": form, "cycle": cycle, "link": link})


# --- benchmark calendar ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def benchmarks(request):
    district = access.current_district(request.user, request.GET.get("district"))
    access.check_plan(request.user, district=district)
    may_change = access.is_district_leader(request.user, district)
    form = BenchmarkWindowForm(request.POST or None, initial={"school_year": district.current_school_year()})
    if request.method == "POST":
        access.require_district_leader(request.user, district)
        if form.is_valid():
            try:
                services.benchmark_window_create(district=district, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Benchmark window added."))
                return redirect("cycles:benchmarks")
    windows = DistrictBenchmarkWindow.objects.filter(district=district).order_by("-school_year", "start")
    quarters = services.quarter_defaults(district=district, school_year=district.current_school_year())
    return render(
        request,
        "cycles/benchmark_list.html",
        {"windows": windows, "form": form, "may_change": may_change, "quarters": quarters, "district": district},
    )


@require_POST
def benchmark_delete(request, pk):
    window = access.get_in_districts(request.user, DistrictBenchmarkWindow, pk=pk)
    access.require_district_leader(request.user, window.district_id)
    window.delete()
    messages.success(request, _("Benchmark window removed."))
    return redirect("cycles:benchmarks")
