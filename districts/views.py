"""Home page per role; people pages and the roster upload for district leaders.

Every view asks `access` what the user may see; writes go through `services` and `roster`.
A leader of several districts picks one with `?district=<slug>`; otherwise the first they lead.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, roster, selectors, services
from . import home as home_panels
from .forms import CoachAssignmentForm, PersonCreateForm, PersonForm, RoleForm, RosterUploadForm
from .formtools import add_service_errors
from .models import CoachAssignment, District, Membership, Role

ROSTER_PREVIEW = "districts.roster_preview"  # session key: the checked plan awaiting confirmation


@login_required
def home(request):
    return render(
        request,
        "districts/home.html",
        {"home": selectors.home_for(request.user), "panels": home_panels.panels_for(request.user)},
    )


# --- helpers --------------------------------------------------------------------------------


def _led_district(request) -> District:
    """The district a leader works in. Another district's slug is 404; a non-leader is 403."""
    return access.current_district(request.user, request.GET.get("district"), lead=True)


def _person_district(request, person) -> District:
    """For a person's page: the chosen district, else the first led district they hold a role in."""
    if request.GET.get("district"):
        return _led_district(request)
    held = access.managed_memberships(request.user, person).values("district_id")
    return access.led_districts(request.user).filter(pk__in=held).order_by("name").first() or _led_district(request)


def _person_url(person, district: District, request, name: str = "person") -> str:
    url = reverse(f"districts:{name}", args=[person.pk])
    return f"{url}?district={district.slug}" if request.GET.get("district") else url


# --- people ---------------------------------------------------------------------------------


@login_required
def people_list(request):
    if not access.is_district_leader(request.user):
        raise PermissionDenied(_("Only district leaders manage people."))
    led = access.led_districts(request.user)
    schools = access.schools(request.user).filter(district__in=led).order_by("name")
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    school = request.GET.get("school", "")
    status = request.GET.get("status", "")
    people = access.people(request.user).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(district__in=led).select_related("school"),
            to_attr="roles_here",
        )
    )
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if role in Role.values or school.isdigit():
        holds = Membership.objects.filter(user=OuterRef("pk"), district__in=led)
        if role in Role.values:
            holds = holds.filter(role=role)
        if school.isdigit():
            holds = holds.filter(school_id=int(school))
        people = people.filter(Exists(holds))
    if status in ("active", "inactive"):
        people = people.filter(is_active=status == "active")
    page = Paginator(people.order_by("full_name", "email"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "districts/people_list.html",
        {
            "page": page,
            "q": q,
            "role": role,
            "school": school,
            "status": status,
            "roles": Role.choices,
            "schools": schools,
            "filtered": bool(q or role or school or status),
        },
    )


@login_required
def person_add(request):
    district = _led_district(request)
    form = PersonCreateForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        try:
            person, created = services.person_create(district=district, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("Added %(name)s. No email was sent.") % {"name": person.full_name})
            else:
                messages.success(
                    request, _("%(email)s already had an account; the role was added to it.") % {"email": person.email}
                )
            return redirect(_person_url(person, district, request))
    return render(request, "districts/person_form.html", {"form": form, "district": district, "person": None})


def _person_page(request, person, district, role_form=None, status=200):
    year = district.current_school_year()
    assignments = CoachAssignment.objects.filter(district=district, school_year=year)
    memberships = access.managed_memberships(request.user, person).select_related("district", "school")
    context = {
        "person": person,
        "district": district,
        "districts": access.led_districts(request.user).order_by("name"),
        "school_year": year,
        "memberships": memberships.order_by("district__name", "role", "school__name"),
        "is_coach": memberships.filter(district=district, role=Role.COACH).exists(),
        "coachees": assignments.filter(coach=person).select_related("teacher").order_by("teacher__full_name"),
        "coaches": assignments.filter(teacher=person).select_related("coach").order_by("coach__full_name"),
        "classrooms": access.classrooms(request.user)
        .filter(teacher=person)
        .select_related("school")
        .order_by("-school_year", "school__name", "period", "name"),
        "may_edit": access.may_edit_account(request.user, person),
        "role_form": role_form or RoleForm(district=district),
    }
    return render(request, "districts/person_detail.html", context, status=status)


@login_required
def person_detail(request, pk):
    person = access.get_person(request.user, pk)
    return _person_page(request, person, _person_district(request, person))


@login_required
def person_edit(request, pk):
    person = access.get_person(request.user, pk)
    if not access.may_edit_account(request.user, person):
        raise PermissionDenied(_("This account is also managed by another district or by staff."))
    district = _person_district(request, person)
    form = PersonForm(request.POST or None, initial={"full_name": person.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": person.full_name})
            return redirect(_person_url(person, district, request))
    return render(request, "districts/person_form.html", {"form": form, "district": district, "person": person})


@login_required
@require_POST
def membership_add(request, pk):
    person = access.get_person(request.user, pk)
    district = _person_district(request, person)
    form = RoleForm(request.POST, district=district)
    if form.is_valid():
        try:
            membership = services.membership_add(person=person, district=district, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": person.full_name, "role": membership.get_role_display().lower()},
            )
            return redirect(_person_url(person, district, request))
    return _person_page(request, person, district, role_form=form, status=400)


@login_required
@require_POST
def membership_remove(request, pk, membership_id):
    person = access.get_person(request.user, pk)
    membership = get_object_or_404(access.managed_memberships(request.user, person), pk=membership_id)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Removed the role %(role)s.") % {"role": membership.get_role_display().lower()})
    return redirect(_person_url(person, membership.district, request))


@login_required
def person_coaching(request, pk):
    person = access.get_person(request.user, pk)
    district = _person_district(request, person)
    if not access.managed_memberships(request.user, person).filter(district=district, role=Role.COACH).exists():
        messages.info(
            request,
            _("%(name)s is not a coach in %(district)s; add the coach role first.")
            % {"name": person.full_name, "district": district},
        )
        return redirect(_person_url(person, district, request))
    year = district.current_school_year()
    current = CoachAssignment.objects.filter(district=district, coach=person, school_year=year)
    form = CoachAssignmentForm(
        request.POST or None, district=district, initial={"teachers": [a.teacher_id for a in current]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services.coach_assignment_set(
                district=district, coach=person, teachers=form.cleaned_data["teachers"], school_year=year
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Saved %(name)s's teachers: %(added)s added, %(removed)s removed.")
                % {"name": person.full_name, "added": added, "removed": removed},
            )
            return redirect(_person_url(person, district, request))
    context = {"form": form, "person": person, "district": district, "school_year": year}
    return render(request, "districts/person_coaching_form.html", context)


@login_required
def person_status(request, pk, *, active: bool):
    """Deactivate or reactivate, after a confirmation page. Nobody is ever deleted here."""
    person = access.get_person(request.user, pk)
    if not access.may_edit_account(request.user, person):
        raise PermissionDenied(_("This account is also managed by another district or by staff."))
    district = _person_district(request, person)
    if request.method == "POST":
        try:
            if active:
                services.person_reactivate(person=person)
            else:
                services.person_deactivate(person=person, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if active:
                done = _("%(name)s was reactivated; they can sign in again.")
            else:
                done = _("%(name)s was deactivated; they can no longer sign in.")
            messages.success(request, done % {"name": person.full_name})
        return redirect(_person_url(person, district, request))
    context = {"person": person, "district": district, "active": active}
    return render(request, "districts/person_confirm_status.html", context)


# --- roster import --------------------------------------------------------------------------


@login_required
def roster_import(request):
    """Upload → dry run. A clean dry run keeps the checked plan (teachers only, no student data)
    in the session and shows what would change; confirming applies it."""
    district = _led_district(request)
    form = RosterUploadForm(
        request.POST or None, request.FILES or None, initial={"school_year": district.current_school_year()}
    )
    result = None
    if request.method == "POST" and form.is_valid():
        school_year = form.cleaned_data["school_year"]
        result = roster.import_roster(district=district, files=form.contents(), school_year=school_year, dry_run=True)
        if result.ok:
            token = secrets.token_urlsafe(16)
            request.session[ROSTER_PREVIEW] = {
                "token": token,
                "district": district.pk,
                "school_year": school_year,
                "files": sorted(upload.name for upload in form.cleaned_data["files"]),
                "plan": result.plan.to_data(),
            }
            context = {"district": district, "result": result, "token": token, "school_year": school_year}
            return render(request, "districts/roster_preview.html", context)
    return render(request, "districts/roster_import.html", {"form": form, "district": district, "result": result})


@login_required
@require_POST
def roster_import_confirm(request):
    if not access.led_districts(request.user).exists():
        raise PermissionDenied(_("Only district leaders import rosters."))
    pending = request.session.get(ROSTER_PREVIEW)
    if not pending or not secrets.compare_digest(pending["token"], request.POST.get("token", "")):
        messages.error(request, _("That preview has expired. Upload the files again."))
        return redirect("districts:roster_import")
    access.require_district_leader(request.user, pending["district"])
    district = District.objects.get(pk=pending["district"])
    result = roster.apply_plan(
        district=district, plan=roster.RosterPlan.from_data(pending["plan"]), school_year=pending["school_year"]
    )
    del request.session[ROSTER_PREVIEW]
    if not result.ok:
        # The database changed since the preview (say, a school renamed): show why, keep nothing.
        form = RosterUploadForm(initial={"school_year": pending["school_year"]})
        return render(request, "districts/roster_import.html", {"form": form, "district": district, "result": result})
    counts = "; ".join(f"{label.lower()}: {tally}" for label, tally in result.tallies())
    messages.success(
        request,
        _("Roster imported into %(district)s. %(counts)s.")
        % {"district": district, "counts": counts[0].upper() + counts[1:]},
    )

    return redirect("districts:people")
