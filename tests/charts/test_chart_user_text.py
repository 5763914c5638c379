"""User text in a chart is shown as typed, never read as plotly markup.

Plotly turns `<a href=...>` in any label into a live SVG link; names that users
type (themes, initiatives, metrics, steps, competencies, funding sources) must
reach the figure escaped, in every place they appear.
"""

import html
import json
import re

import pandas as pd
import pytest

from charts import (
    competency_radar,
    funding_waterfall,
    initiatives_bubble,
    metric_trend,
    metrics_vs_target,
    npv_ranges,
    revenue_at_risk,
    step_progress,
    theme_trend,
    to_html,
    top_themes,
)
from charts.layout import plain_text

EVIL = '<a href="javascript:alert(1)">x</a>'
SHOWN = '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'


def _strings(node):
    """Every string anywhere in a figure's JSON."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _has_anchor(fig) -> bool:
    return any("<a" in s.lower() for s in _strings(json.loads(fig.to_json())))


FIGURES = {
    "top_themes": lambda: top_themes(
        pd.DataFrame({"theme": [EVIL], "score": [0.5], "customers": [1.0]})
    ),
    "revenue_at_risk": lambda: revenue_at_risk(
        pd.DataFrame({"theme": [EVIL], "revenue_at_risk": [1000]})
    ),
    "theme_trend": lambda: theme_trend(
        pd.DataFrame({"period": ["2026-01"], "theme": [EVIL], "mentions": [3]})
    ),
    "initiatives_bubble": lambda: initiatives_bubble(
        pd.DataFrame({"title": [EVIL], "cost": [1], "npv": [2], "customers": [3]})
    ),
    "npv_ranges": lambda: npv_ranges(
        pd.DataFrame({"title": [EVIL], "p10": [1], "p50": [2], "p90": [3]})
    ),
    "funding_waterfall": lambda: funding_waterfall(
        pd.DataFrame(
            {"label": [EVIL, EVIL], "amount": [5, 3], "kind": ["source", "need"]}
        )
    ),
    "step_progress": lambda: step_progress(
        pd.DataFrame({"order": [1], "name": [EVIL], "status": ["done"]})
    ),
    "competency_radar": lambda: competency_radar(
        pd.DataFrame({"competency": [EVIL], "role": [EVIL], "score": [3]})
    ),
    "metrics_vs_target": lambda: metrics_vs_target(
        pd.DataFrame(
            {
                "metric": [EVIL],
                "baseline": [1],
                "current": [None],
                "target": [2],
                "direction": ["up"],
                "unit": [EVIL],
            }
        )
    ),
    "metric_trend": lambda: metric_trend(
        pd.DataFrame({"period": ["2026-01"], "value": [3], "metric": [EVIL]})
    ),
}


@pytest.mark.parametrize("chart", sorted(FIGURES))
def test_a_name_with_a_link_yields_no_anchor_in_the_figure(chart):
    fig = FIGURES[chart]()
    assert not _has_anchor(fig)
    assert any(SHOWN in s for s in _strings(json.loads(fig.to_json())))


def test_a_theme_with_a_link_yields_no_anchor_in_the_page_fragment():
    fragment = to_html(FIGURES["top_themes"](), div_id="themes")
    assert "<a" not in fragment.lower()
    # What the page's loader hands to plotly: the attribute, decoded, as JSON.
    spec = re.search(r'data-plotly="([^"]*)"', fragment).group(1)
    strings = list(_strings(json.loads(html.unescape(spec))))
    assert not any("<a" in s.lower() for s in strings)
    assert SHOWN in strings


def test_ampersands_and_brackets_in_a_theme_are_escaped_for_the_axis():
    fig = revenue_at_risk(
        pd.DataFrame({"theme": ["Fees & <refunds>"], "revenue_at_risk": [1]})
    )
    assert list(fig.data[0].y) == ["Fees &amp; &lt;refunds&gt;"]


def test_a_metric_name_as_default_title_is_escaped_once():
    fig = metric_trend(
        pd.DataFrame({"period": ["2026-01"], "value": [3], "metric": [EVIL]})
    )
    assert fig.layout.title.text == SHOWN
    assert fig.data[0].name == SHOWN
    # The screen reader's label names the metric as typed (escaped once, as HTML).
    assert f'aria-label="{html.escape(EVIL)}"' in to_html(fig)


def test_plain_text_escapes_markup_and_keeps_quotes():
    assert plain_text('a < b & "c" > d') == 'a &lt; b &amp; "c" &gt; d'
