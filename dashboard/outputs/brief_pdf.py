"""The brief as an A4 PDF: HTML laid out by WeasyPrint, which shapes Thai with HarfBuzz (tone marks
and vowels in place), embeds Sarabun, repeats a long table's header on every page and keeps numbers
as text a reader can select and search. Charts are PNG at three times screen resolution.
"""

from __future__ import annotations

import base64
import contextlib
import html
import threading
from pathlib import Path

from dashboard.outputs.brief import Brief, Table
from dashboard.views import formatting as fmt
from dashboard.views.i18n import t


def font_dir() -> Path:
    import fontpkg_sarabun

    return Path(fontpkg_sarabun.__file__).resolve().parent / "files"


def _css(footer: str) -> str:
    fonts = font_dir()
    quoted = footer.replace("\\", "\\\\").replace('"', '\\"')
    return f"""
@font-face {{ font-family: Sarabun; src: url("{(fonts / "Sarabun-Regular.ttf").as_uri()}"); }}
@font-face {{ font-family: Sarabun; font-weight: bold; src: url("{(fonts / "Sarabun-Bold.ttf").as_uri()}"); }}
@page {{
  size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-left {{ content: "{quoted}"; font: 8pt Sarabun; color: #555; }}
  @bottom-right {{ content: counter(page) " / " counter(pages); font: 8pt Sarabun; color: #555; }}
}}
body {{ font-family: Sarabun; font-size: 10.5pt; line-height: 1.45; color: #1d2733; }}
h1 {{ font-size: 19pt; margin: 0 0 2mm; color: #1F4E9C; }}
h2 {{ font-size: 13pt; margin: 7mm 0 2mm; color: #1F4E9C; break-after: avoid; }}
.context {{ color: #4a5561; font-size: 9pt; margin-bottom: 4mm; }}
.note {{ font-size: 10pt; margin: 0 0 2mm; break-after: avoid; }}
.summary {{ font-size: 12pt; font-weight: bold; margin: 3mm 0; }}
.kpis {{ display: flex; gap: 4mm; margin: 3mm 0; }}
.kpi {{ flex: 1; border: 0.3mm solid #c8ced6; border-radius: 2mm; padding: 2mm 3mm; }}
.kpi .label {{ font-size: 8.5pt; color: #4a5561; }}
.kpi .value {{ font-size: 15pt; font-weight: bold; }}
.kpi .delta {{ font-size: 9pt; }}
.warning {{ background: #fff6dd; border-left: 1.2mm solid #e0a800; padding: 1.5mm 3mm; margin: 1.5mm 0;
  font-size: 9.5pt; }}
img {{ width: 100%; break-inside: avoid; margin: 1mm 0 2mm; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; }}
thead {{ display: table-header-group; }}
th {{ background: #e8edf3; text-align: left; padding: 1mm 1.5mm; border-bottom: 0.3mm solid #9aa5b1; }}
td {{ padding: 0.8mm 1.5mm; border-bottom: 0.2mm solid #e1e5ea; }}
td.num {{ text-align: right; white-space: nowrap; }}
tr {{ break-inside: avoid; }}
.nothing {{ color: #4a5561; font-style: italic; }}
dl {{ font-size: 9pt; }} dt {{ font-weight: bold; margin-top: 1.5mm; }} dd {{ margin-left: 4mm; }}
"""


def _table(table: Table, lang: str) -> str:
    if table.frame.empty:
        return f'<p class="nothing">{html.escape(t("brief.nothing", lang))}</p>'
    head = "".join(f"<th>{html.escape(table.headers.get(c, c))}</th>" for c in table.frame.columns)
    rows = []
    for record in table.frame.itertuples(index=False):
        cells = [fmt.cell(c, v) for c, v in zip(table.frame.columns, record, strict=True)]
        rows.append("".join(f'<td class="{"num" if n else ""}">{html.escape(text)}</td>' for text, n in cells))
    body = "".join(f"<tr>{r}</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _image(png: bytes) -> str:
    return f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def html_of(brief: Brief, pictures: dict[str, bytes]) -> str:
    """The brief as one HTML document (what WeasyPrint lays out)."""
    lang, e = brief.lang, html.escape
    kpis = "".join(
        f'<div class="kpi"><div class="label">{e(label)}</div><div class="value">{e(value)}</div>'
        f'<div class="delta">{e(delta or "")}</div></div>'
        for label, value, delta in brief.kpis
    )
    parts = [
        f"<h1>{e(brief.title)}</h1>",
        f'<div class="context">{e(brief.context)}</div>',
        f'<p class="summary">{e(brief.summary)}</p>',
        f'<div class="kpis">{kpis}</div>',
        *[f'<div class="warning">{e(w)}</div>' for w in brief.warnings],
    ]
    for table in brief.tables:
        parts.append(f"<h2>{e(table.title)}</h2>")
        if table.note:
            parts.append(f'<p class="note">{e(table.note)}</p>')
        if table.key in pictures:
            parts.append(_image(pictures[table.key]))
        parts.append(_table(table, lang))
    about = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in brief.about)
    parts.append(f"<h2>{e(t('brief.about', lang))}</h2><dl>{about}</dl>")
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(brief.title)}</title>'
        f"<style>{_css(brief.footer)}</style></head><body>{''.join(parts)}</body></html>"
    )


# The name of a warm-up's thread: `render` finds those still running by it.
_WARMING = "pmqa-weasyprint-import"


def warm_up() -> None:
    """Import WeasyPrint (about 0.5 s) in the background while the charts are drawn: the main thread
    only waits for the browser then."""
    threading.Thread(target=_import_quietly, name=_WARMING, daemon=True).start()


def _import_quietly() -> None:
    # An import that fails (no Pango on the system) fails again in `render`, which says it in one line;
    # here it would print a thread's traceback.
    with contextlib.suppress(Exception):
        import weasyprint  # noqa: F401


def render(brief: Brief, pictures: dict[str, bytes]) -> bytes:
    # Wait for the warm-up to end first. An import that another thread has under way hands this thread
    # the half-made module once the import lock is free, even when that import failed: without Pango,
    # `weasyprint.HTML` would then be an AttributeError instead of the import's own one-line error.
    for worker in threading.enumerate():  # every one: two app sessions may render at once
        if worker.name == _WARMING:
            worker.join()
    import weasyprint

    return weasyprint.HTML(string=html_of(brief, pictures)).write_pdf()
