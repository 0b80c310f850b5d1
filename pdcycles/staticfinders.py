"""Serve plotly.js from the installed plotly package (no CDN, and always the matching version)."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

_DIR = Path(plotly.__file__).resolve().parent / "package_data"
_NAME = "plotly.min.js"
_PUBLIC = f"vendor/plotly/{_NAME}"


class PlotlyJsFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == _PUBLIC:
            match = str(_DIR / _NAME)
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=str(_DIR))
        storage.prefix = "vendor/plotly"
        yield _NAME, storage
