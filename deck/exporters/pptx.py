"""The PPTX deck (python-pptx): 16:9 slides, charts as PNG images, presenter
notes in each slide's notes page."""

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from deck.exporters.images import HEIGHT, WIDTH

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


def _text_box(slide, left, top, width, height, item) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for sentence in item.missing:
        _paragraph(frame, sentence, size=16, colour=WARN, bold=True)
    for bullet in item.bullets:
        _paragraph(frame, f"• {bullet}", size=16)
    for quote in item.quotes:
        _paragraph(frame, quote, size=13, colour=MUTED, italic=True)


def _picture(slide, png: bytes, left, top, box_w, box_h) -> None:
    # Keep the image's aspect ratio inside its box.
    scale = min(box_w / WIDTH, box_h / HEIGHT)
    width, height = Emu(int(WIDTH * scale)), Emu(int(HEIGHT * scale))
    slide.shapes.add_picture(io.BytesIO(png), left, top, width, height)


def _add_slide(prs, item, pngs: list[bytes], *, number: int, total: int, meta: dict):
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    title = slide.shapes.title
    title.left, title.top = MARGIN, Inches(0.3)
    title.width, title.height = SLIDE_W - 2 * MARGIN, Inches(0.8)
    title.text = item.title
    for para in title.text_frame.paragraphs:
        para.alignment = 1  # left
        for run in para.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(30), True, INK
    top = Inches(1.15)
    if item.subtitle:
        box = slide.shapes.add_textbox(MARGIN, top, SLIDE_W - 2 * MARGIN, Inches(0.5))
        box.text_frame.word_wrap = True
        _paragraph(box.text_frame, item.subtitle, size=18, colour=MUTED)
        top += Inches(0.6)
    width = SLIDE_W - 2 * MARGIN
    bottom = SLIDE_H - Inches(0.45)
    if len(pngs) == 1:
        text_w = Inches(4.6)
        _text_box(slide, MARGIN, top, text_w, bottom - top, item)
        left = MARGIN + text_w + GAP
        _picture(slide, pngs[0], left, top, SLIDE_W - MARGIN - left, bottom - top)
    elif pngs:
        text_h = Inches(1.6) if (item.bullets or item.missing or item.quotes) else 0
        if text_h:
            _text_box(slide, MARGIN, top, width, text_h, item)
        row_top = top + text_h
        box_w = (width - GAP * (len(pngs) - 1)) // len(pngs)
        for index, png in enumerate(pngs):
            left = MARGIN + index * (box_w + GAP)
            _picture(slide, png, left, row_top, box_w, bottom - row_top)
    else:
        _text_box(slide, MARGIN, top, width, bottom - top, item)
    foot = slide.shapes.add_textbox(
        SLIDE_W - MARGIN - Inches(4), SLIDE_H - Inches(0.4), Inches(4), Inches(0.3)
    )
    _paragraph(
        foot.text_frame,
        f"{number} / {total} · v{meta.get('version')} · {meta.get('built_at')}",
        size=10,
        colour=MUTED,
    ).alignment = 3  # right
    slide.notes_slide.notes_text_frame.text = item.notes or ""


def deck_pptx(slides, images: list[list[bytes]], *, meta: dict, title: str) -> bytes:
    """PPTX bytes: one slide per deck slide whose title is the slide title."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = title
    prs.core_properties.author = meta.get("built_by") or "CXPlan"
    for number, (item, pngs) in enumerate(zip(slides, images, strict=True), start=1):
        _add_slide(prs, item, pngs, number=number, total=len(slides), meta=meta)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
