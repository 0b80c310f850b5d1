"""Staff pages for practical measures."""

from django.http import Http404


def index(request, **kwargs):
    raise Http404


def classroom(request, **kwargs):
    raise Http404


def administration_start(request, **kwargs):
    raise Http404


def classroom_sharing(request, **kwargs):
    raise Http404


def classroom_export(request, **kwargs):
    raise Http404


def administration(request, **kwargs):
    raise Http404


def administration_present(request, **kwargs):
    raise Http404


def administration_count(request, **kwargs):
    raise Http404


def administration_close(request, **kwargs):
    raise Http404


def school(request, **kwargs):
    raise Http404


def district(request, **kwargs):
    raise Http404


def district_export(request, **kwargs):
    raise Http404
