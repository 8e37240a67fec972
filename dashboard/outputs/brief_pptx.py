"""The brief as PowerPoint: a cover with the summary and the key numbers as cards a presenter can
edit, then one slide per section: charts as images, tables as PowerPoint tables over as many slides
as their rows need (the header on each), numbers aligned right.

The font is Tahoma, set for Latin and for complex scripts (Thai is a complex script to Office: a
run's Latin font alone leaves Thai to a fallback). Every Windows and macOS Office has Tahoma with
Thai; python-pptx cannot embed a font, and Sarabun, which the PDF embeds, is on no one's computer.
"""

from __future__ import annotations

import io

from dashboard.outputs.brief import Brief, Table
from dashboard.views import formatting as fmt
from dashboard.views.i18n import t

FONT = "Tahoma"
SLIDE_ROWS = 15  # a table's rows that fit one slide below its heading
BLUE, GREY, PALE = "1F4E9C", "4A5561", "E8EDF3"
HEADING_CM = 2.8  # a slide's heading (title and note): what is drawn below starts under it


def _font(run, size: float, bold: bool = False, color: str | None = None) -> None:
    """Tahoma for Latin, East Asian and complex-script text alike, so Thai is not left to a fallback."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    properties = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        element = properties.find(qn(tag))
        if element is None:
            element = properties.makeelement(qn(tag), {})
            properties.append(element)
        element.set("typeface", FONT)


def _text(slide, left, top, width, height, lines, align=None):
    """A text box of (text, points, bold[, colour]) paragraphs."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold, *color) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        _font(run, size, bold, color[0] if color else None)
    return box


def _table(slide, table: Table, frame, left, top, width) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Cm

    shape = slide.shapes.add_table(len(frame) + 1, len(frame.columns), left, top, width, Cm(0.75 * (len(frame) + 1)))
    grid = shape.table
    for c, column in enumerate(frame.columns):
        _cell(grid.cell(0, c), table.headers.get(column, column), True, None)
    for r, record in enumerate(frame.itertuples(index=False), start=1):
        for c, (column, value) in enumerate(zip(frame.columns, record, strict=True)):
            text, number = fmt.cell(column, value)
            _cell(grid.cell(r, c), text, False, PP_ALIGN.RIGHT if number else None)


def _cell(cell, text: str, bold: bool, align) -> None:
    cell.text = text
    for paragraph in cell.text_frame.paragraphs:
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            _font(run, 10, bold)


def _footer(slide, brief: Brief, prs) -> None:
    from pptx.util import Cm

    lines = [(brief.footer, 9, False, GREY)]
    _text(slide, Cm(1), prs.slide_height - Cm(1.2), prs.slide_width - Cm(2), Cm(0.8), lines)


def _heading(slide, title: str, note: str, width) -> None:
    """The slide's title and the sentence that reads its table, in a box tall enough for both; what
    follows starts below it (a long title ran into the chart's own title)."""
    from pptx.util import Cm

    lines = [(title, 18, True, BLUE)] + ([(note, 11, False)] if note else [])
    _text(slide, Cm(1), Cm(0.5), width, Cm(HEADING_CM - 0.5), lines)


def _cover(prs, brief: Brief, width) -> None:
    """The summary in a sentence and each key number on a card: value large, change under it."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Cm

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Cm(4.2))
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(BLUE)
    band.line.fill.background()
    _text(
        slide, Cm(1), Cm(0.6), width, Cm(3.4), [(brief.title, 28, True, "FFFFFF"), (brief.context, 11, False, "FFFFFF")]
    )
    _text(slide, Cm(1), Cm(4.8), width, Cm(2.2), [(brief.summary, 18, True)])
    gap, count = Cm(0.8), max(len(brief.kpis), 1)
    card_width = int((width - gap * (count - 1)) / count)
    for i, (label, value, delta) in enumerate(brief.kpis):
        left = Cm(1) + i * (card_width + gap)
        card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, Cm(7.4), card_width, Cm(4.4))
        card.fill.solid()
        card.fill.fore_color.rgb = RGBColor.from_string(PALE)
        card.line.fill.background()
        lines = [(label, 12, False, GREY), (value, 30, True, BLUE), (delta or "", 14, False)]
        _text(slide, left + Cm(0.4), Cm(7.6), card_width - Cm(0.8), Cm(4), lines, PP_ALIGN.CENTER)
    warnings = [(w, 12, False) for w in brief.warnings]
    if warnings:
        _text(slide, Cm(1), Cm(12.4), width, Cm(4.6), [(t("brief.warnings", brief.lang), 12, True), *warnings])
    _footer(slide, brief, prs)


def _pages(frame) -> list:
    """A table's rows in slides' worth: all of them, none left out."""
    return [frame.iloc[i : i + SLIDE_ROWS] for i in range(0, len(frame), SLIDE_ROWS)] or [frame]


def _section(prs, brief: Brief, table: Table, pictures: dict[str, bytes], width) -> None:
    from pptx.util import Cm

    blank, top = prs.slide_layouts[6], Cm(HEADING_CM + 0.2)
    if table.key in pictures:  # the chart on a slide of its own, the table on the next
        slide = prs.slides.add_slide(blank)
        _heading(slide, table.title, table.note, width)
        room = prs.slide_height - top - Cm(1.4)
        picture = slide.shapes.add_picture(io.BytesIO(pictures[table.key]), Cm(1), top, height=room)
        if picture.width > width:  # a wide chart: fit the slide's width, keeping its proportions
            picture.height = int(picture.height * width / picture.width)
            picture.width = width
        _footer(slide, brief, prs)
    pages = _pages(table.frame)
    for page, rows in enumerate(pages, start=1):
        slide = prs.slides.add_slide(blank)
        title = (
            table.title
            if page == 1
            else t("brief.continued", brief.lang, title=table.title, page=page, pages=len(pages))
        )
        _heading(slide, title, table.note if page == 1 else "", width)
        if rows.empty:
            _text(slide, Cm(1), top, width, Cm(1), [(t("brief.nothing", brief.lang), 14, False)])
        else:
            _table(slide, table, rows, Cm(1), top, width)
        _footer(slide, brief, prs)


def render(brief: Brief, pictures: dict[str, bytes]) -> bytes:
    from pptx import Presentation
    from pptx.util import Cm

    prs = Presentation()
    prs.slide_width, prs.slide_height = Cm(33.867), Cm(19.05)  # 16:9
    width = prs.slide_width - Cm(2)
    _cover(prs, brief, width)
    for table in brief.tables:
        _section(prs, brief, table, pictures, width)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
