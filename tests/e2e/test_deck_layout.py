"""Every slide of the HTML deck reads right at 16:9, 1920x1080, in Chromium.

The deck is built through `build_deck --format html --out` from the demo
company and from the small deck world. On each slide the test measures every
piece of text a viewer sees: the title, subtitle, bullets, quotes and missing-
data sentences (the extent of their glyphs, not of their blocks), the deck bar,
and inside each plotly chart every SVG text (ticks, axis and chart titles,
legend entries, bar and point labels, annotations). No two may overlap by more
than TOLERANCE px either way, none may leave the slide, and no chart text may
leave its chart (it would be clipped).
"""

from itertools import combinations

import pytest
from django.core.management import call_command

from tests.deck.factories import deck_world

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORT = {"width": 1920, "height": 1080}
TOLERANCE = 2

# Text boxes of the active slide: [{"what", "chart", "text", "box": [l, t, r, b]}],
# plus the slide's and each chart's box.
MEASURE_JS = """
() => {
  const slide = document.querySelector(".slide.active");
  const rect = (r) => [r.left, r.top, r.right, r.bottom];
  const shown = (el) => {
    for (let n = el; n && n.nodeType === 1; n = n.parentNode) {
      const s = getComputedStyle(n);
      if (s.display === "none" || s.visibility === "hidden" || +s.opacity === 0) {
        return false;
      }
    }
    return true;
  };
  const glyphs = (el) => {
    // The union of the text's line boxes: where the letters are.
    const range = document.createRange();
    range.selectNodeContents(el);
    const rs = Array.from(range.getClientRects()).filter(r => r.width && r.height);
    if (!rs.length) { return null; }
    return [Math.min(...rs.map(r => r.left)), Math.min(...rs.map(r => r.top)),
            Math.max(...rs.map(r => r.right)), Math.max(...rs.map(r => r.bottom))];
  };
  const out = [];
  const html = "h1, h2.subtitle, p.missing, ul.bullets > li, blockquote";
  slide.querySelectorAll(html).forEach((el) => {
    const box = shown(el) && el.textContent.trim() ? glyphs(el) : null;
    if (box) { out.push({what: el.tagName.toLowerCase(), chart: null,
                         text: el.textContent.trim().slice(0, 80), box}); }
  });
  document.querySelectorAll("footer.deck-bar span").forEach((el) => {
    const box = el.textContent.trim() ? glyphs(el) : null;
    if (box) { out.push({what: "deck-bar", chart: null, text: el.textContent, box}); }
  });
  const charts = [];
  slide.querySelectorAll(".cx-chart").forEach((chart, index) => {
    charts.push({id: chart.id, box: rect(chart.getBoundingClientRect())});
    chart.querySelectorAll("svg text").forEach((el) => {
      if (!el.textContent.trim() || !shown(el)) { return; }
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) { return; }
      const cls = el.getAttribute("class") || el.parentNode.getAttribute("class");
      out.push({what: "chart:" + (cls || "text"), chart: chart.id,
                text: el.textContent.trim().slice(0, 80), box: rect(r)});
    });
  });
  return {slide: rect(slide.getBoundingClientRect()), charts, texts: out};
}
"""


def overlap(a, b) -> float:
    """The smaller side of the intersection of two boxes (0 when apart)."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(0.0, min(width, height))


def outside(inner, outer) -> bool:
    return (
        inner[0] < outer[0] - TOLERANCE
        or inner[1] < outer[1] - TOLERANCE
        or inner[2] > outer[2] + TOLERANCE
        or inner[3] > outer[3] + TOLERANCE
    )


def layout_faults(measured: dict) -> list[str]:
    """Overlapping text pairs and text outside the slide or its chart."""
    faults = []
    texts = measured["texts"]
    charts = {c["id"]: c["box"] for c in measured["charts"]}
    for t in texts:
        if outside(t["box"], measured["slide"]):
            faults.append(f"outside the slide: {t['what']} {t['text']!r} {t['box']}")
        if t["chart"] and outside(t["box"], charts[t["chart"]]):
            faults.append(f"clipped by its chart: {t['what']} {t['text']!r}")
    for a, b in combinations(texts, 2):
        if overlap(a["box"], b["box"]) > TOLERANCE:
            faults.append(
                f"overlap: {a['what']} {a['text']!r} and {b['what']} {b['text']!r}"
            )
    return faults


def deck_faults(page, path) -> dict[str, list[str]]:
    """Open the deck file and measure every slide; {slide label: faults}."""
    page.goto(path.as_uri())
    total = page.locator("section.slide").count()
    found = {}
    for number in range(1, total + 1):
        page.evaluate(f"window.location.hash = '#{number}'")
        slide = page.locator(f"#slide-{number}")
        page.wait_for_function(
            f"document.querySelector('#slide-{number}').classList.contains('active')"
        )
        charts = slide.locator(".cx-chart")
        for index in range(charts.count()):
            charts.nth(index).locator(".main-svg").first.wait_for()
        # Plotly redraws a chart on resize; let that frame land.
        page.wait_for_timeout(150)
        faults = layout_faults(page.evaluate(MEASURE_JS))
        if faults:
            found[slide.get_attribute("aria-label")] = faults
    return found


def _built_deck(tmp_path):
    out = tmp_path / "deck.html"
    call_command("build_deck", "--format", "html", "--out", str(out))
    return out


@pytest.mark.parametrize("world", ["demo", "deck_world"])
def test_no_slide_has_overlapping_or_clipped_text_at_1920x1080(
    world, new_page, tmp_path
):
    if world == "demo":
        call_command("seed_demo", items=300, customers=150, password="pw-deck-layout")
    else:
        deck_world()
    path = _built_deck(tmp_path)
    page = new_page(viewport=VIEWPORT)
    found = deck_faults(page, path)
    assert page.errors == []
    assert found == {}, "\n".join(
        f"{slide}:\n  " + "\n  ".join(faults) for slide, faults in found.items()
    )


def test_the_check_sees_a_title_pushed_over_the_bullets(new_page, tmp_path):
    """The measure can fail: a slide whose title is pulled down onto its
    bullets, and whose quotes run off the right edge, is reported."""
    deck_world()
    path = _built_deck(tmp_path)
    broken = path.read_text(encoding="utf-8").replace(
        "</style>",
        ".slide h1 { margin-bottom: -2.5em; }"
        " .slide blockquote { margin-left: 1800px; white-space: nowrap; }</style>",
        1,
    )
    path.write_text(broken, encoding="utf-8")
    page = new_page(viewport=VIEWPORT)
    found = deck_faults(page, path)
    faults = next(f for slide, f in found.items() if "What customers" in slide)
    assert any(f.startswith("overlap: h1") for f in faults), faults
    assert any(f.startswith("outside the slide: blockquote") for f in faults), faults
