"""The PPTX carries native, editable charts with their data, and notes with sources.

Built through `build_deck --format pptx --out`; LibreOffice (when installed)
converts the file to PDF headlessly, one page per slide, without a repair."""

import io
import shutil
import subprocess
import zipfile

import plotly.graph_objects as go
import pytest
from django.core.management import call_command
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from deck.exporters.pptx import deck_pptx
from deck.exporters.pptx_chart_model import number_format
from deck.exporters.pptx_chart_specs import chart_spec
from deck.models import Deck
from deck.slides import Slide, slides_build
from feedback.models import RankingSnapshot
from tests.conftest import need
from tests.deck.factories import deck_world, media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _build_pptx(tmp_path) -> tuple[bytes, Deck]:
    out = tmp_path / "deck.pptx"
    call_command("build_deck", "--format", "pptx", "--out", str(out))
    return out.read_bytes(), Deck.objects.get()


def chart_parts(data: bytes) -> list[str]:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return [n for n in names if n.startswith("ppt/charts/chart") and n.endswith(".xml")]


def _charts(prs):
    return [
        (index, shape.chart)
        for index, slide in enumerate(prs.slides)
        for shape in slide.shapes
        if shape.has_chart
    ]


def test_every_deck_chart_is_a_native_chart_with_its_data(tmp_path):
    deck_world()
    data, deck = _build_pptx(tmp_path)
    slides = slides_build(deck.data)
    figures = sum(len(s.figures) for s in slides)
    assert len(chart_parts(data)) == figures >= 5
    prs = Presentation(io.BytesIO(data))
    pictures = [
        shape for s in prs.slides for shape in s.shapes if shape.shape_type == 13
    ]
    assert pictures == []
    charts = _charts(prs)
    keys = [slides[index].key for index, _ in charts]
    assert keys.count("portfolio") == 2
    by_title = {c.chart_title.text_frame.text: c for _, c in charts}
    revenue = by_title["Revenue at risk by theme"]
    assert revenue.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    plot = revenue.plots[0]
    assert list(plot.categories) == ["Slow refunds", "Long waits", "Bills"]
    assert list(plot.series[0].values) == [50000.0, 50000.0, 50000.0]
    assert revenue.value_axis.tick_labels.number_format == '"$"#,##0,"k";-"$"#,##0,"k"'
    bubble = by_title["Initiatives: cost, value and reach"]
    assert bubble.chart_type == XL_CHART_TYPE.BUBBLE
    waterfall = by_title["Funding: sources, needs and the gap"]
    assert waterfall.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    # The cumulative cash is a line over the yearly columns (a combo chart).
    cash = next(c for i, c in charts if slides[i].key == "improvement-1")
    assert [type(p).__name__ for p in cash.plots] == ["BarPlot", "LinePlot"]
    assert cash.plots[1].series[0].name == "Cumulative"


def test_notes_carry_the_talking_points_and_their_sources(tmp_path):
    deck_world()
    data, deck = _build_pptx(tmp_path)
    snapshot = RankingSnapshot.objects.get()
    prs = Presentation(io.BytesIO(data))
    notes = prs.slides[2].notes_slide.notes_text_frame.text
    talking, sources = notes.split("\n")
    assert talking.startswith("Score = 0.35 customers")
    assert sources.startswith(
        f"Sources: ranking snapshot #{snapshot.pk} of "
        f"{snapshot.computed_at.date().isoformat()} (500 feedback items"
    )
    assert f"CXPlan deck v{deck.version} built " in sources
    assert all("Sources: " in s.notes_slide.notes_text_frame.text for s in prs.slides)


def test_the_pptx_needs_no_chromium_when_every_chart_is_native(
    tmp_path, settings, monkeypatch
):
    settings.CHROMIUM_PATH = "/nonexistent/chromium"
    monkeypatch.setenv("PATH", "/nonexistent")
    deck_world()
    data, deck = _build_pptx(tmp_path)
    assert deck.status == "done" and deck.error == ""
    assert len(chart_parts(data)) >= 5


def test_the_demo_company_deck_has_at_least_five_native_charts(tmp_path):
    call_command("seed_demo", items=300, customers=150, password="pw-deck-native")
    data, _ = _build_pptx(tmp_path)
    assert len(chart_parts(data)) >= 5


def test_a_chart_powerpoint_cannot_draw_stays_a_picture():
    need("chromium")
    heatmap = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]))
    bars = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    assert chart_spec(heatmap) is None and chart_spec(bars) is not None
    slides = [Slide(key="x", title="Mixed", figures=[heatmap, bars])]
    data = deck_pptx(slides, meta={"version": 1, "built_at": "now"}, title="T")
    prs = Presentation(io.BytesIO(data))
    shapes = prs.slides[0].shapes
    assert sum(1 for s in shapes if s.shape_type == 13) == 1
    assert sum(1 for s in shapes if s.has_chart) == 1


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([950], '"$"#,##0;-"$"#,##0'),
        ([12_345], '"$"#,##0,"k";-"$"#,##0,"k"'),
        ([1_234_567], '"$"#,##0.0,,"M";-"$"#,##0.0,,"M"'),
    ],
)
def test_money_axes_read_as_people_say_them(values, expected):
    fig = go.Figure(go.Bar(x=["a"], y=values))
    fig.update_yaxes(tickprefix="$")
    assert number_format(fig.layout.yaxis, values) == expected


def test_libreoffice_opens_the_pptx_without_repair(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) is not on PATH: conversion not checked")
        pytest.skip("needs LibreOffice (soffice) on PATH")
    from pypdf import PdfReader

    deck_world()
    data, deck = _build_pptx(tmp_path)
    source = tmp_path / "deck.pptx"
    done = subprocess.run(  # noqa: S603 - fixed argv
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    pdf = tmp_path / "out" / "deck.pdf"
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert pdf.stat().st_size > 0
    assert len(PdfReader(str(pdf)).pages) == len(slides_build(deck.data))
