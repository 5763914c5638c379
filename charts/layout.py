"""The look shared by every chart, and the two ways a chart leaves Python.

Charts call `apply_layout` (fonts, colours, margins) and `empty_figure` (a plain
"No data yet" message); pages call `to_html`; the deck builder calls
`figure_to_png` / `figures_to_png`, which drive Chromium through kaleido.

The colours are the Okabe-Ito set, chosen because it stays distinguishable for the
common forms of colour blindness; charts still put names or numbers next to colour
so that colour is never the only cue.
"""

import asyncio
import html
import math
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

# Okabe-Ito, blue first because it reads as calm and neutral.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
YELLOW = "#F0E442"
GREY = "#9AA5B1"
INK = "#1F2933"
MUTED = "#52606D"
GRID = "#E4E7EB"

PALETTE = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, GREY)
POSITIVE = GREEN
NEGATIVE = VERMILLION

FONT_FAMILY = (
    "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', "
    "Arial, sans-serif"
)
FONT_SIZE = 14
MARGIN = {"l": 16, "r": 24, "t": 64, "b": 40, "pad": 4}

# Plotly's own settings for every interactive chart on a page.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

NO_DATA_PREFIX = "No data yet: "

DEFAULT_CHROMIUM = "/usr/bin/chromium"

# Pages forbid inline scripts (Content-Security-Policy `script-src 'self'`), so a
# chart div only carries its figure as JSON and this script, served as a static
# file after plotly.min.js, draws every such div (again after an htmx swap).
CHART_LOADER_JS = """\
(function () {
  function draw(root) {
    if (!window.Plotly) { return; }
    var sel = "[data-plotly]:not([data-drawn])";
    (root || document).querySelectorAll(sel).forEach(function (el) {
      var spec = JSON.parse(el.getAttribute("data-plotly"));
      el.setAttribute("data-drawn", "1");
      window.Plotly.newPlot(el, spec.data, spec.layout, spec.config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
})();
"""


def apply_layout(
    fig: go.Figure,
    *,
    title: str | None = None,
    height: int | None = None,
    legend: bool = True,
) -> go.Figure:
    """Give `fig` the shared look (font, palette, white background, margins,
    legend across the top) and return the same figure for chaining."""
    fig.update_layout(
        template="plotly_white",
        colorway=list(PALETTE),
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": INK},
        title={
            # Titles are plain text everywhere; some carry a metric's name.
            "text": None if title is None else plain_text(title),
            # Aligned with the plot's left edge rather than the page's.
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "font": {"size": FONT_SIZE + 4},
        },
        margin=MARGIN,
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=legend,
        # A horizontal legend above the plot keeps the plot wide on a phone.
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "xanchor": "left",
            "title": {"text": ""},
        },
        hoverlabel={"font": {"family": FONT_FAMILY, "size": FONT_SIZE - 1}},
        separators=".,",
    )
    if height is not None:
        fig.update_layout(height=height)
    fig.update_xaxes(gridcolor=GRID, zerolinecolor=GRID, automargin=True)
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, automargin=True)
    return fig


def empty_figure(missing: str, *, title: str | None = None) -> go.Figure:
    """A figure with no traces and one centred note "No data yet: <missing>", so a
    page or a slide whose data is missing says so plainly."""
    fig = go.Figure()
    apply_layout(fig, title=title, legend=False)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=f"{NO_DATA_PREFIX}{missing}",
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        xanchor="center",
        yanchor="middle",
        showarrow=False,
        font={"size": FONT_SIZE + 2, "color": MUTED},
    )
    return fig


def plain_text(value: object) -> str:
    """`value` as text that plotly shows as typed: `&`, `<` and `>` escaped.

    Plotly reads HTML-ish tags in every label (titles, ticks, legends, hover,
    annotations) and turns `<a href=...>` into a live SVG link, so a theme,
    initiative or metric name could carry a `javascript:` link into a page or
    the deck. Plotly decodes `&amp;`, `&lt;` and `&gt;` back for display, so the
    name still reads the same. Quotes stay: plotly would print `&quot;` as is.
    Charts pass every name that comes from users through here, once.
    """
    return html.escape(str(value), quote=False)


def is_empty(df: pd.DataFrame | None) -> bool:
    """True when there is nothing to draw: no frame or no rows."""
    return df is None or len(df.index) == 0


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, chart: str) -> None:
    """Raise ValueError naming the chart and every column `df` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{chart}: missing column(s) {', '.join(missing)}")


def format_money(value: float | None, *, currency: str = "$") -> str:
    """A short money label: 950 -> "$950", 12345 -> "$12.3k", 123456 -> "$123k",
    -1234567 -> "-$1.2M", 5000 -> "$5k"; None or NaN -> "n/a"."""
    if value is None or math.isnan(float(value)):
        return "n/a"
    amount = abs(float(value))
    units = ((1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "B"))
    index = 0
    while index + 1 < len(units) and amount >= units[index + 1][0]:
        index += 1
    shown, text = _scaled(amount, *units[index])
    # Rounding can reach the next unit: 999,960 must read "$1.0M", not "$1000k".
    while index + 1 < len(units) and shown >= 1000:
        index += 1
        shown, text = _scaled(amount, *units[index])
    sign = "-" if value < 0 and shown else ""
    return f"{sign}{currency}{text}"


def _scaled(amount: float, divisor: float, suffix: str) -> tuple[float, str]:
    """The amount in a unit, rounded as shown, and its label."""
    scaled = amount / divisor
    if not suffix:
        return round(scaled), f"{scaled:,.0f}"
    digits = 1 if round(scaled, 1) < 100 else 0
    shown = round(scaled, digits)
    if shown == int(shown):
        digits = 0  # "$12k", not "$12.0k"
    return shown, f"{shown:.{digits}f}{suffix}"


def wrap_label(value: str, width: int = 16) -> str:
    """A long label broken into lines of about `width` characters at spaces
    (plotly's `<br>`), so tick labels round a radar or under a column stay
    inside the chart; words are never cut."""
    lines, line = [], ""
    for word in str(value).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join([*lines, line] if line else lines)


def money_axis(currency: str = "$") -> dict:
    """Axis settings that print money ticks the short way ($12k, $1.2M)."""
    return {"tickprefix": currency, "tickformat": "~s"}


def series_or_none(df: pd.DataFrame, column: str) -> pd.Series | None:
    """The numeric column when present and not entirely empty, else None."""
    if column not in df.columns:
        return None
    values = pd.to_numeric(df[column], errors="coerce")
    return None if values.isna().all() else values


def to_html(
    fig: go.Figure, *, include_plotlyjs: bool = False, div_id: str | None = None
) -> str:
    """The figure as an HTML fragment for a page or a standalone deck.

    By default the fragment is a single `<div data-plotly="...">` holding the
    figure and PLOTLY_CONFIG as JSON, with no script at all: the page loads
    plotly.min.js and CHART_LOADER_JS from static files, which the Content-Security-
    Policy allows. With `include_plotlyjs=True` (a self-contained deck file) the
    fragment also inlines plotly.js and the loader; pass it for the first chart of
    a document only. Nothing is ever fetched from a CDN.
    """
    div_id = div_id or f"chart-{uuid.uuid4().hex[:12]}"
    plotly_json = fig.to_plotly_json()
    spec = {
        "data": plotly_json.get("data", []),
        "layout": plotly_json.get("layout", {}),
        "config": PLOTLY_CONFIG,
    }
    label = _title_text(fig) or "Chart"
    div = (
        f'<div id="{html.escape(div_id)}" class="cx-chart" role="img" '
        f'aria-label="{html.escape(label)}" '
        f'data-plotly="{html.escape(to_json_plotly(spec), quote=True)}"></div>'
    )
    if not include_plotlyjs:
        return div
    from plotly.offline import get_plotlyjs

    # "</script" inside the bundle would end the inline tag early.
    bundle = get_plotlyjs().replace("</script", "<\\/script")
    return (
        f'<script type="text/javascript">{bundle}</script>\n{div}\n'
        f'<script type="text/javascript">{CHART_LOADER_JS}</script>'
    )


def chromium_path(browser_path: str | os.PathLike | None = None) -> str | None:
    """Which Chromium kaleido should drive: the first existing file among the
    argument, $CHROMIUM_PATH (the project's setting), $BROWSER_PATH (kaleido's
    own override) and /usr/bin/chromium; else None, and kaleido searches PATH."""
    candidates = (
        browser_path,
        os.environ.get("CHROMIUM_PATH"),
        os.environ.get("BROWSER_PATH"),
        DEFAULT_CHROMIUM,
    )
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return str(candidate)
    return None


def figure_to_png(
    fig: go.Figure,
    width: int = 1280,
    height: int = 720,
    *,
    scale: float = 1.0,
    browser_path: str | None = None,
) -> bytes:
    """Render one figure to PNG bytes of `width` x `height` CSS pixels (times
    `scale`) with kaleido and a local Chromium (see `chromium_path`)."""
    return figures_to_png(
        [fig], width=width, height=height, scale=scale, browser_path=browser_path
    )[0]


def figures_to_png(
    figures: Sequence[go.Figure],
    *,
    width: int = 1280,
    height: int = 720,
    scale: float = 1.0,
    browser_path: str | None = None,
) -> list[bytes]:
    """Render several figures to PNG bytes, in order, with one Chromium.

    Starting Chromium costs about as much as a few renders, so a deck should
    render all its charts in one call. MathJax is switched off because kaleido
    would otherwise load it from a CDN, which a closed network cannot reach.
    """
    import kaleido

    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    kopts = {"mathjax": False}
    path = chromium_path(browser_path)
    if path:
        kopts["path"] = path

    async def render() -> list[bytes]:
        async with kaleido.Kaleido(**kopts) as k:
            return [await k.calc_fig(fig, opts=dict(opts)) for fig in figures]

    return _run_async(render)


def _run_async(make_coroutine: Callable):
    # asyncio.run refuses to nest inside a running loop (an async view, a
    # notebook); a worker thread has no loop of its own.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def _title_text(fig: go.Figure) -> str | None:
    # The aria-label is escaped as an attribute; undo plain_text's escaping first
    # so a screen reader hears "&", not "&amp;".
    title = fig.layout.title
    text = title.text if title is not None else None
    return html.unescape(text) if text else text
