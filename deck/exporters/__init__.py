"""Turning a deck's slides into files: HTML (always), PDF and PPTX (Chromium).

`html.deck_html`, `pdf.deck_pdf` and `pptx.deck_pptx` take the same slides.
The PDF needs the chart images that `images.slide_images` renders through
kaleido and the local Chromium, and raises `ExportUnavailable` when it is
absent; the PPTX draws native charts (`pptx_charts`) and needs Chromium only
for a figure PowerPoint has no chart for.
"""

import os
import shutil
from pathlib import Path

from django.conf import settings

FORMATS = ("html", "pdf", "pptx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


class ExportError(Exception):
    """An export failed; the message is shown to the user as it is."""


class ExportUnavailable(ExportError):
    """A format cannot be produced on this machine (no Chromium)."""


def chromium_executable() -> str | None:
    """The Chromium to print and render with: settings.CHROMIUM_PATH when it
    exists, else `chromium` on PATH, else None."""
    configured = getattr(settings, "CHROMIUM_PATH", "") or ""
    if configured and Path(configured).is_file() and os.access(configured, os.X_OK):
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium(fmt: str) -> str:
    """The Chromium path, or ExportUnavailable with a message that says what to do."""
    path = chromium_executable()
    if path is None:
        configured = getattr(settings, "CHROMIUM_PATH", "/usr/bin/chromium")
        raise ExportUnavailable(
            f"{fmt.upper()} export needs Chromium, which was not found at "
            f"{configured} (set CHROMIUM_PATH or install chromium); "
            "the HTML deck works without it."
        )
    return path
