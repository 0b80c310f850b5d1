"""Public student survey pages."""

from django.http import Http404


def enter(request, **kwargs):
    raise Http404


def survey(request, **kwargs):
    raise Http404


def thanks(request, **kwargs):
    raise Http404
