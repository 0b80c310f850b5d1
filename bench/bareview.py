"""A bare Django view: the full middleware stack, no database, no template."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse


@login_not_required
def bare(request):
    return HttpResponse("ok")
