"""The PDF deck: a print page of the slides (charts as PNG), printed by headless
Chromium, one 16:9 page per slide."""

import base64
import subprocess
import tempfile
from pathlib import Path

from django.template.loader import render_to_string

from deck.exporters import ExportError, require_chromium

TIMEOUT_SECONDS = 120
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
)


def print_html(
    slides,
    images: list[list[bytes]],
    *,
    meta: dict,
    title: str,
    brand: dict | None = None,
) -> str:
    """The print page: one fixed-size section per slide with its chart images
    inlined as data URIs (nothing to fetch, no script to wait for)."""
    rows = []
    for slide, pngs in zip(slides, images, strict=True):
        rows.append(
            {
                "key": slide.key,
                "title": slide.title,
                "subtitle": slide.subtitle,
                "bullets": slide.bullets,
                "quotes": slide.quotes,
                "missing": slide.missing,
                "images": [
                    "data:image/png;base64," + base64.b64encode(png).decode()
                    for png in pngs
                ],
            }
        )
    return render_to_string(
        "deck/print.html",
        {"slides": rows, "meta": meta, "deck_title": title, "brand": brand or {}},
    )


def deck_pdf(
    slides,
    images: list[list[bytes]],
    *,
    meta: dict,
    title: str,
    brand: dict | None = None,
) -> bytes:
    """PDF bytes printed by Chromium. Raises ExportUnavailable without Chromium,
    ExportError when printing fails or times out."""
    chromium = require_chromium("pdf")
    document = print_html(slides, images, meta=meta, title=title, brand=brand)
    with tempfile.TemporaryDirectory(prefix="cxplan-deck-") as tmp:
        source, target = Path(tmp) / "deck.html", Path(tmp) / "deck.pdf"
        source.write_text(document, encoding="utf-8")
        command = [
            chromium,
            *FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ExportError(
                f"Chromium did not print the PDF within {TIMEOUT_SECONDS} s."
            ) from exc
        if not target.exists() or target.stat().st_size == 0:
            tail = done.stderr.decode(errors="replace")[-500:]
            raise ExportError(
                f"Chromium could not print the PDF (exit {done.returncode}): {tail}"
            )
        return target.read_bytes()
