"""Native PowerPoint charts for the PPTX deck (python-pptx chart objects).

`add_native_chart(slide, fig, box)` draws a figure's `ChartSpec` (see
pptx_chart_specs) as an editable chart that carries its data, in the deck's
palette and type scale, and returns False when the figure has no native
equivalent (the exporter then places the PNG picture instead).
"""

import copy

from lxml import etree
from pptx.chart.data import BubbleChartData, CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.oxml.ns import qn
from pptx.util import Pt

from charts.layout import GRID, INK, MUTED
from deck.exporters.pptx_chart_model import (
    BAR_H,
    BAR_H_STACKED,
    BUBBLE,
    COLUMN,
    COLUMN_STACKED,
    LINE,
    RADAR,
    ChartSpec,
    SeriesSpec,
)
from deck.exporters.pptx_chart_specs import chart_spec

TYPES = {
    BAR_H: XL_CHART_TYPE.BAR_CLUSTERED,
    BAR_H_STACKED: XL_CHART_TYPE.BAR_STACKED,
    COLUMN: XL_CHART_TYPE.COLUMN_CLUSTERED,
    COLUMN_STACKED: XL_CHART_TYPE.COLUMN_STACKED,
    LINE: XL_CHART_TYPE.LINE_MARKERS,
    BUBBLE: XL_CHART_TYPE.BUBBLE,
    RADAR: XL_CHART_TYPE.RADAR_MARKERS,
}
# The deck's type scale in points (the HTML deck's 14 px plotly font at 16:9).
TITLE_PT, TEXT_PT, SMALL_PT = 14, 11, 10
FONT = "Arial"


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper()[:6])


def add_native_chart(slide, fig, box) -> bool:
    """Draw `fig` as a native chart in `box` (left, top, width, height);
    False when it has no PowerPoint equivalent."""
    spec = chart_spec(fig)
    if spec is None or not spec.series:
        return False
    data = _chart_data(spec)
    frame = slide.shapes.add_chart(TYPES[spec.kind], *box, data)
    chart = frame.chart
    _combine_lines(chart, spec)
    _style(chart, spec)
    return True


def _chart_data(spec: ChartSpec):
    if spec.kind == BUBBLE:
        data = BubbleChartData(number_format=spec.value_format)
        for series in spec.series:
            target = data.add_series(series.name)
            for x, y, size in zip(series.xs, series.values, series.sizes, strict=True):
                target.add_data_point(x or 0.0, y or 0.0, size)
        return data
    data = CategoryChartData(number_format=spec.value_format)
    data.categories = spec.categories
    for series in spec.series:
        data.add_series(series.name, series.values)
    return data


def _combine_lines(chart, spec: ChartSpec) -> None:
    """Move the series marked `as_line` out of the column group into a line
    group on the same axes: PowerPoint's column-and-line combo chart."""
    lines = [i for i, s in enumerate(spec.series) if s.as_line]
    if not lines or spec.kind != COLUMN:
        return
    plot_area = chart._chartSpace.chart.plotArea
    bar_chart = plot_area.find(qn("c:barChart"))
    sers = bar_chart.findall(qn("c:ser"))
    line_chart = etree.SubElement(plot_area, qn("c:lineChart"))
    bar_chart.addnext(line_chart)
    etree.SubElement(line_chart, qn("c:grouping")).set("val", "standard")
    etree.SubElement(line_chart, qn("c:varyColors")).set("val", "0")
    for index in lines:
        ser = sers[index]
        bar_chart.remove(ser)
        for child in ser.findall(qn("c:invertIfNegative")):
            ser.remove(child)
        line_chart.append(ser)
    etree.SubElement(line_chart, qn("c:marker")).set("val", "1")
    for ax_id in bar_chart.findall(qn("c:axId")):
        line_chart.append(copy.deepcopy(ax_id))


def _font(font, *, size=TEXT_PT, colour=INK, bold=False) -> None:
    font.size, font.name, font.bold = Pt(size), FONT, bold
    font.color.rgb = rgb(colour)


def _style(chart, spec: ChartSpec) -> None:
    _font(chart.font)
    chart.has_title = bool(spec.title)
    if spec.title:
        frame = chart.chart_title.text_frame
        frame.text = spec.title
        _font(frame.paragraphs[0].font, size=TITLE_PT, bold=True)
    chart.has_legend = spec.legend
    if spec.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        _font(chart.legend.font, size=SMALL_PT, colour=MUTED)
    for plot in chart.plots:
        if spec.kind in (BAR_H, COLUMN, BAR_H_STACKED, COLUMN_STACKED):
            plot.gap_width = 60
            if spec.kind in (BAR_H_STACKED, COLUMN_STACKED):
                plot.overlap = 100
        if spec.labels:
            plot.has_data_labels = True
            labels = plot.data_labels
            labels.number_format = spec.value_format
            labels.number_format_is_linked = False
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
            _font(labels.font, size=SMALL_PT)
    # The column group keeps its series in order, the line group follows.
    wanted = [s for s in spec.series if not s.as_line]
    wanted += [s for s in spec.series if s.as_line]
    drawn = [series for plot in chart.plots for series in plot.series]
    for series, want in zip(drawn, wanted, strict=True):
        _series(series, want, spec)
    if spec.kind != RADAR:
        _axes(chart, spec)


def _series(series, want: SeriesSpec, spec: ChartSpec) -> None:
    fill_kinds = (BAR_H, COLUMN, BAR_H_STACKED, COLUMN_STACKED, BUBBLE)
    is_fill = spec.kind in fill_kinds and not want.as_line
    if want.hidden:
        series.format.fill.background()
        series.format.line.fill.background()
        return
    if want.colour:
        if is_fill:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = rgb(want.colour)
        else:
            series.format.line.color.rgb = rgb(want.colour)
            series.format.line.width = Pt(2.25)
            if hasattr(type(series), "smooth"):
                series.smooth = False
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = rgb(want.colour)
    for index, colour in enumerate(want.point_colours or []):
        if colour and want.values[index] is not None:
            point = series.points[index]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(colour)
    for index, label in enumerate(want.point_labels or []):
        if not label or (spec.kind != BUBBLE and want.values[index] is None):
            continue
        frame = series.points[index].data_label.text_frame
        frame.text = label
        _font(frame.paragraphs[0].font, size=SMALL_PT)
        if spec.kind == BUBBLE:
            series.points[index].data_label.position = XL_LABEL_POSITION.ABOVE


def _axes(chart, spec: ChartSpec) -> None:
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = rgb(GRID)
    value_axis.tick_labels.number_format = spec.value_format
    value_axis.tick_labels.number_format_is_linked = False
    _font(value_axis.tick_labels.font, size=SMALL_PT, colour=MUTED)
    value_axis.format.line.fill.background()
    category_axis = chart.category_axis
    if spec.kind == BUBBLE:
        category_axis.tick_labels.number_format = spec.x_format
        category_axis.tick_labels.number_format_is_linked = False
    _font(category_axis.tick_labels.font, size=SMALL_PT, colour=MUTED)
    category_axis.format.line.color.rgb = rgb(GRID)
    category_axis.has_major_gridlines = False
    # At the low end, not at zero: there they would sit on negative bars.
    category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if spec.reverse:
        category_axis.reverse_order = True
    if not spec.categories and spec.kind != BUBBLE:
        category_axis.visible = False
    if spec.kind == BAR_H_STACKED and len(spec.categories) == 1:
        category_axis.visible = False
        value_axis.visible = False
        value_axis.has_major_gridlines = False
    for axis, title in (
        (value_axis, spec.value_title),
        (category_axis, spec.category_title),
    ):
        if title:
            axis.has_title = True
            axis.axis_title.text_frame.text = title
            _font(axis.axis_title.text_frame.paragraphs[0].font, colour=MUTED)
