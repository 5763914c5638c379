"""Pictures of every slide of an HTML deck at 1920x1080 (docs/deck/), taken
in the local Chromium through Playwright, so a reader can judge the deck
without running it. `make deck-screenshots` builds a deck on a fresh demo
database and calls `slide_screenshots` through `manage.py deck_screenshots`."""

from pathlib import Path

from deck.exporters import ExportUnavailable, require_chromium

VIEWPORT = {"width": 1920, "height": 1080}
MAX_PNG_BYTES = 300_000  # larger slides are saved as JPEG, quality 80


def slide_screenshots(html_path: Path, out_dir: Path) -> list[Path]:
    """One picture per slide of the deck at `html_path`, written to `out_dir`
    as slide-01-<key>.png (or .jpg past MAX_PNG_BYTES); older slide pictures
    there are removed first. Returns the files in slide order."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # a dev dependency (requirements-dev.txt)
        raise ExportUnavailable(
            "Slide pictures need Playwright: pip install -r requirements-dev.txt"
        ) from exc
    chromium = require_chromium("screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in [*out_dir.glob("slide-*.png"), *out_dir.glob("slide-*.jpg")]:
        old.unlink()
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(Path(html_path).resolve().as_uri())
            slides = page.locator("section.slide")
            for number in range(1, slides.count() + 1):
                written.append(_shoot(page, number, out_dir))
        finally:
            browser.close()
    return written


def _shoot(page, number: int, out_dir: Path) -> Path:
    page.evaluate(f"window.location.hash = '#{number}'")
    page.wait_for_function(
        f"document.getElementById('slide-{number}').classList.contains('active')"
    )
    slide = page.locator(f"#slide-{number}")
    charts = slide.locator(".cx-chart")
    for index in range(charts.count()):
        charts.nth(index).locator(".main-svg").first.wait_for()
    page.wait_for_timeout(200)  # the resize redraw of the charts
    stem = f"slide-{number:02d}-{slide.get_attribute('data-slide')}"
    png = slide.screenshot(type="png")
    if len(png) <= MAX_PNG_BYTES:
        path = out_dir / f"{stem}.png"
        path.write_bytes(png)
    else:
        path = out_dir / f"{stem}.jpg"
        path.write_bytes(slide.screenshot(type="jpeg", quality=80))
    return path


def readme_text(files: list[Path], titles: list[str], *, version, built_at) -> str:
    """docs/deck/README.md: what the pictures are and how to make them again."""
    lines = [
        "# The leadership deck, slide by slide",
        "",
        "Each picture is one slide of the HTML deck at 16:9, 1920x1080, in Chromium,",
        f"built from the demo company (`seed_demo`): deck v{version}, {built_at}.",
        "Regenerate them with `make deck-screenshots` (a fresh SQLite demo database",
        "in a temporary CXPLAN_VAR_DIR; var/ is left alone). The same",
        "layout is checked by tests/e2e/test_deck_layout.py: no overlapping or",
        "clipped text on any slide.",
        "",
        "| slide | title | picture |",
        "|---|---|---|",
    ]
    for number, (path, title) in enumerate(zip(files, titles, strict=True), start=1):
        shown = title.replace("|", "\\|")
        lines.append(f"| {number} | {shown} | [{path.name}]({path.name}) |")
    return "\n".join(lines) + "\n"
