"""Chart functions shared by the pages and the leadership deck.

One module per chart, each exporting a function of the same name that turns a
DataFrame (or a sequence, for `npv_histogram` and `sparkline`) into a plotly
Figure; `layout` holds the shared look and the HTML / PNG output helpers.
`CHARTS` maps each chart's name to its function.
"""

from charts.churn_drivers import churn_drivers
from charts.competency_radar import competency_radar
from charts.cumulative_cash import cumulative_cash
from charts.drivers import drivers
from charts.funding_waterfall import funding_waterfall
from charts.initiatives_bubble import initiatives_bubble
from charts.layout import figure_to_png, figures_to_png, to_html
from charts.metric_trend import metric_trend
from charts.metrics_vs_target import metrics_vs_target
from charts.npv_histogram import npv_histogram
from charts.npv_ranges import npv_ranges
from charts.revenue_at_risk import revenue_at_risk
from charts.sparkline import sparkline
from charts.step_progress import step_progress
from charts.theme_trend import theme_trend
from charts.top_themes import top_themes
from charts.tornado import tornado

CHARTS = {
    "top_themes": top_themes,
    "revenue_at_risk": revenue_at_risk,
    "theme_trend": theme_trend,
    "initiatives_bubble": initiatives_bubble,
    "cumulative_cash": cumulative_cash,
    "npv_ranges": npv_ranges,
    "funding_waterfall": funding_waterfall,
    "step_progress": step_progress,
    "competency_radar": competency_radar,
    "metrics_vs_target": metrics_vs_target,
    "npv_histogram": npv_histogram,
    "metric_trend": metric_trend,
    "sparkline": sparkline,
    "tornado": tornado,
    "drivers": drivers,
    "churn_drivers": churn_drivers,
}

__all__ = [*CHARTS, "CHARTS", "figure_to_png", "figures_to_png", "to_html"]
