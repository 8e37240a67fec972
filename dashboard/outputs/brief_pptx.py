"""The brief as PowerPoint: one slide per section, the summary and key numbers as text a presenter
can edit, charts as images, tables as PowerPoint tables (the first rows; the Excel brief has all)."""

from __future__ import annotations

import io

from dashboard.outputs.brief import Brief, Table
from dashboard.views import formatting as fmt
from dashboard.views.i18n import t

FONT = "Sarabun"
SLIDE_ROWS = 12  # a table's rows that fit one slide


def _text(slide, left, top, width, height, lines: list[tuple[str, int, bool]]):
    """A text box of (text, points, bold) paragraphs."""
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    return box


def _table(slide, table: Table, lang: str, left, top, width, height) -> None:
    from pptx.util import Pt

    frame = table.frame.head(SLIDE_ROWS)
    if frame.empty:
        _text(slide, left, top, width, height, [(t("brief.nothing", lang), 14, False)])
        return
    shape = slide.shapes.add_table(len(frame) + 1, len(frame.columns), left, top, width, height)
    grid = shape.table
    for c, column in enumerate(frame.columns):
        grid.cell(0, c).text = table.headers.get(column, column)
    for r, record in enumerate(frame.itertuples(index=False), start=1):
        for c, (column, value) in enumerate(zip(frame.columns, record, strict=True)):
            grid.cell(r, c).text = fmt.cell(column, value)[0]
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size, run.font.name = Pt(10), FONT


def _footer(slide, brief: Brief, prs) -> None:
    from pptx.util import Cm

    _text(slide, Cm(1), prs.slide_height - Cm(1.2), prs.slide_width - Cm(2), Cm(0.8), [(brief.footer, 9, False)])


def render(brief: Brief, pictures: dict[str, bytes]) -> bytes:
    from pptx import Presentation
    from pptx.util import Cm

    prs = Presentation()
    prs.slide_width, prs.slide_height = Cm(33.867), Cm(19.05)  # 16:9
    blank = prs.slide_layouts[6]
    width = prs.slide_width - Cm(2)
    lang = brief.lang

    cover = prs.slides.add_slide(blank)
    lines = [(brief.title, 28, True), (brief.context, 12, False), ("", 8, False), (brief.summary, 18, True)]
    lines += [
        (f"{label}: {value}" + (f"  ({delta})" if delta else ""), 16, False) for label, value, delta in brief.kpis
    ]
    lines += [("", 8, False)] + [(w, 12, False) for w in brief.warnings]
    _text(cover, Cm(1), Cm(1), width, Cm(16), lines)
    _footer(cover, brief, prs)

    for table in brief.tables:
        slide = prs.slides.add_slide(blank)
        heading = [(table.title, 20, True)] + ([(table.note, 12, False)] if table.note else [])
        _text(slide, Cm(1), Cm(0.6), width, Cm(1.5), heading)
        if table.key in pictures:  # the chart on a slide of its own, the table on the next
            picture = slide.shapes.add_picture(io.BytesIO(pictures[table.key]), Cm(1), Cm(2.4), height=Cm(15))
            if picture.width > width:  # a wide chart: fit the slide's width, keeping its proportions
                picture.height = int(picture.height * width / picture.width)
                picture.width = width
            _footer(slide, brief, prs)
            slide = prs.slides.add_slide(blank)
            _text(slide, Cm(1), Cm(0.6), width, Cm(1.5), heading)
        rows = min(len(table.frame), SLIDE_ROWS) + 1
        _table(slide, table, lang, Cm(1), Cm(2.4), width, Cm(0.75 * rows))
        if len(table.frame) > SLIDE_ROWS:
            more = t("brief.more_rows", lang, shown=SLIDE_ROWS, rows=len(table.frame))
            _text(slide, Cm(1), prs.slide_height - Cm(2), width, Cm(0.8), [(more, 10, False)])
        _footer(slide, brief, prs)

    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
