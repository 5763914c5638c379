"""The PPTX deck (python-pptx): 16:9 slides, charts as native PowerPoint
charts carrying their data (pictures only where PowerPoint has no such chart),
the talking points and their sources in each slide's notes page."""

import base64
import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from deck.exporters import ExportError
from deck.exporters.images import HEIGHT, WIDTH, slide_images
from deck.exporters.pptx_chart_specs import chart_spec
from deck.exporters.pptx_charts import add_native_chart

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
GAP = Inches(0.3)
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x52, 0x60, 0x6D)
WARN = RGBColor(0xD5, 0x5E, 0x00)
TITLE_ONLY = 5  # layout index in python-pptx's default template


def _paragraph(frame, text: str, *, size: int, colour=INK, bold=False, italic=False):
    para = (
        frame.paragraphs[0] if not frame.paragraphs[0].text else frame.add_paragraph()
    )
    run = para.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = colour
    para.space_after = Pt(6)
    return para


def _has_text(item) -> bool:
    return bool(item.bullets or item.missing or item.quotes)


def text_size(item, width) -> int:
    """The body size in points for a text box `width` wide (EMU): 16 pt, less
    for a long text in a narrow column, so the box holds it (about 9
    characters an inch at 16 pt and 14 lines; half a line more a paragraph)."""
    chars = sum(len(t) + 20 for t in (*item.missing, *item.bullets, *item.quotes))
    lines_at_16 = chars / max(1.0, 9 * width / Inches(1))
    for size in (16, 14, 12):
        if lines_at_16 * (size / 16) ** 2 <= 14:
            return size
    return 11


def _text_box(slide, left, top, width, height, item) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    # A safety net: PowerPoint and LibreOffice shrink a text that still overflows.
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    size = text_size(item, width)
    for sentence in item.missing:
        _paragraph(frame, sentence, size=size, colour=WARN, bold=True)
    for bullet in item.bullets:
        _paragraph(frame, f"• {bullet}", size=size)
    for quote in item.quotes:
        _paragraph(frame, quote, size=size - 3, colour=MUTED, italic=True)


def _figure(slide, fig, png: bytes | None, left, top, box_w, box_h) -> None:
    """A native chart filling its box, else the PNG keeping its aspect ratio."""
    if add_native_chart(slide, fig, (left, top, box_w, box_h)):
        return
    if png is None:
        raise ExportError("A chart has no native form and no picture was rendered.")
    scale = min(box_w / WIDTH, box_h / HEIGHT)
    width, height = Emu(int(WIDTH * scale)), Emu(int(HEIGHT * scale))
    slide.shapes.add_picture(io.BytesIO(png), left, top, width, height)


def sources_line(data: dict | None, meta: dict) -> str:
    """Where a slide's figures come from, for the presenter notes: the ranking
    snapshot, the date the business cases and plan were read, the deck version."""
    data = data or {}
    parts = []
    ranking = data.get("ranking") or {}
    if ranking.get("snapshot_id") is not None:
        parts.append(
            f"ranking snapshot #{ranking['snapshot_id']} of "
            f"{str(ranking.get('computed_at') or '')[:10]} "
            f"({ranking.get('items_in_window') or 0:,} feedback items, "
            f"{ranking.get('window_start')} to {ranking.get('window_end')})"
        )
    else:
        parts.append("no ranking snapshot")
    collected = str(data.get("collected_at") or "")[:10]
    if collected:
        parts.append(f"business cases, funding and strategy as of {collected}")
    parts.append(f"CXPlan deck v{meta.get('version')} built {meta.get('built_at')}")
    return "Sources: " + "; ".join(parts) + "."


def _rgb(value: str | None, default: RGBColor) -> RGBColor:
    try:
        return RGBColor.from_string((value or "").lstrip("#"))
    except ValueError:
        return default


def _brand_marks(slide, brand: dict, number: int) -> None:
    """The accent bar on every slide; the logo on the first."""
    bar = slide.shapes.add_shape(1, 0, 0, SLIDE_W, Inches(0.08))  # a rectangle
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(brand.get("accent"), WARN)
    bar.line.fill.background()
    logo = brand.get("logo") or ""
    if number == 1 and logo.startswith("data:image/"):
        data = base64.b64decode(logo.split(",", 1)[1])
        slide.shapes.add_picture(
            io.BytesIO(data),
            SLIDE_W - MARGIN - Inches(2),
            Inches(0.2),
            height=Inches(0.7),
        )


def _add_slide(
    prs,
    item,
    pngs: list,
    *,
    number: int,
    total: int,
    meta: dict,
    sources: str,
    brand: dict | None = None,
):
    brand = brand or {}
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _brand_marks(slide, brand, number)
    title = slide.shapes.title
    title.left, title.top = MARGIN, Inches(0.3)
    title.width, title.height = SLIDE_W - 2 * MARGIN, Inches(0.8)
    title.text = item.title
    for para in title.text_frame.paragraphs:
        para.alignment = 1  # left
        for run in para.runs:
            run.font.size, run.font.bold = Pt(30), True
            run.font.color.rgb = _rgb(brand.get("primary"), INK)
    top = Inches(1.15)
    if item.subtitle:
        box = slide.shapes.add_textbox(MARGIN, top, SLIDE_W - 2 * MARGIN, Inches(0.5))
        box.text_frame.word_wrap = True
        _paragraph(box.text_frame, item.subtitle, size=18, colour=MUTED)
        top += Inches(0.6)
    bottom = SLIDE_H - Inches(0.45)
    figures = item.figures
    if figures:
        # The text in a left column, the charts side by side to its right.
        left = MARGIN
        if _has_text(item):
            text_w = Inches(4.6) if len(figures) == 1 else Inches(4.0)
            _text_box(slide, MARGIN, top, text_w, bottom - top, item)
            left = MARGIN + text_w + GAP
        room = SLIDE_W - MARGIN - left
        box_w = (room - GAP * (len(figures) - 1)) // len(figures)
        for index, (fig, png) in enumerate(zip(figures, pngs, strict=True)):
            x = left + index * (box_w + GAP)
            _figure(slide, fig, png, x, top, box_w, bottom - top)
    else:
        _text_box(slide, MARGIN, top, SLIDE_W - 2 * MARGIN, bottom - top, item)
    foot = slide.shapes.add_textbox(
        SLIDE_W - MARGIN - Inches(4), SLIDE_H - Inches(0.4), Inches(4), Inches(0.3)
    )
    _paragraph(
        foot.text_frame,
        (f"{brand['company']} · " if brand.get("company") else "")
        + f"{number} / {total} · v{meta.get('version')} · {meta.get('built_at')}",
        size=10,
        colour=MUTED,
    ).alignment = 3  # right
    notes = slide.notes_slide.notes_text_frame
    notes.text = item.notes or ""
    notes.add_paragraph().text = sources


def _fallback_images(slides) -> list[list]:
    """PNGs of the figures PowerPoint cannot draw natively (None for the rest);
    Chromium is needed only when there is such a figure."""
    if all(chart_spec(f) is not None for s in slides for f in s.figures):
        return [[None] * len(s.figures) for s in slides]
    return slide_images(slides, fmt="pptx", keep=lambda f: chart_spec(f) is None)


def deck_pptx(
    slides,
    images: list[list] | None = None,
    *,
    meta: dict,
    title: str,
    data: dict | None = None,
) -> bytes:
    """PPTX bytes: one slide per deck slide whose title is the slide title.
    `images` are the PNGs already rendered for the PDF, if any; `data` is the
    deck's snapshot, named in each slide's notes as the figures' sources."""
    if images is None:
        images = _fallback_images(slides)
    sources = sources_line(data, meta)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = title
    prs.core_properties.author = meta.get("built_by") or "CXPlan"
    for number, (item, pngs) in enumerate(zip(slides, images, strict=True), start=1):
        _add_slide(
            prs,
            item,
            pngs,
            number=number,
            total=len(slides),
            meta=meta,
            sources=sources,
            brand=(data or {}).get("brand"),
        )
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
