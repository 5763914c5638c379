"""What every chart shares: the index, empty and bad input, labels, HTML and PNG."""

import html
import json
import re
import struct
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

import charts
from charts import (
    CHARTS,
    cumulative_cash,
    npv_histogram,
    revenue_at_risk,
    sparkline,
)
from charts.layout import (
    PLOTLY_CONFIG,
    chromium_path,
    figure_to_png,
    format_money,
    to_html,
)

CHROMIUM = Path("/usr/bin/chromium")


def _empty_input(name: str):
    """Call chart `name` with nothing to draw."""
    if name == "npv_histogram":
        return npv_histogram([], p10=0.0, p50=0.0, p90=0.0)
    if name == "sparkline":
        return sparkline([])
    return CHARTS[name](pd.DataFrame())


# -- shared behaviour --------------------------------------------------------


def test_the_index_names_every_chart_module_after_its_function():
    folder = Path(charts.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "layout"}
    assert set(CHARTS) == modules
    for name, function in CHARTS.items():
        assert function.__name__ == name


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_says_plainly_when_it_has_no_data(name):
    fig = _empty_input(name)
    assert len(fig.data) == 0
    (note,) = fig.layout.annotations
    assert note.text.startswith("No data yet: ")
    assert len(note.text) > len("No data yet: ")
    assert (note.x, note.y, note.xref, note.yref) == (0.5, 0.5, "paper", "paper")
    assert note.showarrow is False


def test_charts_name_the_columns_they_lack():
    with pytest.raises(ValueError, match="revenue_at_risk"):
        revenue_at_risk(pd.DataFrame({"theme": ["Billing"]}))


def test_money_labels_are_short_and_signed():
    assert format_money(950) == "$950"
    assert format_money(12_345) == "$12.3k"
    assert format_money(5_000) == "$5k"
    assert format_money(-1_234_567) == "-$1.2M"
    assert format_money(999_960) == "$1M"
    assert format_money(2_500_000_000, currency="€") == "€2.5B"
    assert format_money(None) == "n/a"


# -- to_html -----------------------------------------------------------------


def _figure_from_div(fragment: str) -> dict:
    match = re.search(r'data-plotly="([^"]*)"', fragment)
    assert match, fragment[:200]
    return json.loads(html.unescape(match.group(1)))


def test_to_html_gives_a_script_free_div_carrying_figure_and_config():
    fig = revenue_at_risk(
        pd.DataFrame({"theme": ["Billing", "Login"], "revenue_at_risk": [10, 30]})
    )
    fragment = to_html(fig, div_id="risk")
    assert fragment.startswith('<div id="risk"')
    assert fragment.endswith("</div>")
    assert "<script" not in fragment
    spec = _figure_from_div(fragment)
    assert spec["config"] == {"displaylogo": False, "responsive": True}
    assert spec["data"][0]["y"] == ["Login", "Billing"]
    assert spec["layout"]["title"]["text"] == "Revenue at risk by theme"


def test_to_html_escapes_titles_into_the_aria_label():
    fig = go.Figure(layout={"title": {"text": 'Risk "now" & <later>'}})
    fragment = to_html(fig)
    assert 'aria-label="Risk &quot;now&quot; &amp; &lt;later&gt;"' in fragment
    assert re.match(r'<div id="chart-[0-9a-f]{12}"', fragment)


def test_to_html_with_plotlyjs_inlines_it_and_never_loads_a_cdn():
    fig = sparkline([1, 2, 3])
    fragment = to_html(fig, include_plotlyjs=True, div_id="spark")
    scripts = re.findall(r"<script[^>]*>", fragment)
    assert scripts, "plotly.js should be inlined"
    assert not any("src=" in tag for tag in scripts)
    assert "cdn.plot.ly" not in fragment.split('<div id="spark"')[1]
    assert _figure_from_div(fragment)["config"] == PLOTLY_CONFIG
    # The bundle is the real library, not a stub.
    assert len(fragment) > 1_000_000


# -- PNG export --------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason="/usr/bin/chromium is absent, so kaleido cannot render a PNG here",
)
def test_a_chart_renders_to_a_png_of_the_requested_size():
    df = pd.DataFrame({"t": [0, 1, 2], "net": [-5, 3, 4], "cumulative": [-5, -2, 2]})
    png = figure_to_png(cumulative_cash(df, payback_months=18), 640, 360, scale=2)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1280, 720)


def test_the_chromium_argument_wins_over_the_environment(tmp_path, monkeypatch):
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    mine.write_text("")
    theirs.write_text("")
    monkeypatch.setenv("CHROMIUM_PATH", str(theirs))
    assert chromium_path(str(mine)) == str(mine)
    assert chromium_path(str(tmp_path / "absent")) == str(theirs)
