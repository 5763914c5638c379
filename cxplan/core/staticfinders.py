"""Serve plotly.js from the installed plotly package (no copy in the repo, no CDN)."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
PUBLIC_PATH = "vendor/plotly/plotly.min.js"


class PlotlyFinder(BaseFinder):
    """Finds exactly one file: `vendor/plotly/plotly.min.js`."""

    storage = FileSystemStorage(location=str(PLOTLY_DIR))
    storage.prefix = "vendor/plotly"

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == PUBLIC_PATH:
            match = str(PLOTLY_DIR / "plotly.min.js")
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield "plotly.min.js", self.storage
