"""Home page per role, and the people pages for district leaders."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from . import access, selectors


@login_required
def home(request):
    return render(request, "districts/home.html", {"home": selectors.home_for(request.user)})


@login_required
def people_list(request):
    if not access.is_district_leader(request.user):
        raise PermissionDenied("Only district leaders manage people.")
    q = request.GET.get("q", "").strip()
    people = access.people(request.user).prefetch_related("memberships__school")
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    page = Paginator(people.order_by("full_name"), 25).get_page(request.GET.get("page"))
    return render(request, "districts/people_list.html", {"page": page, "q": q})
