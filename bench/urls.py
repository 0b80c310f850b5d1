"""The project's URLs plus /bench/bare/, a view that does nothing (the baseline for requests/s)."""

from django.urls import include, path

from .bareview import bare

urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("pdcycles.urls")),
]
