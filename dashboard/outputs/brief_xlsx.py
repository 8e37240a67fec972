"""The brief as an Excel workbook: the summary (its key numbers as numbers, formatted, their change
beside them), one sheet per table with headers in the brief's language and formatted numbers, the
selection and an about sheet; every sheet named in the brief's language and printing one page wide.
Text is never a formula."""

from __future__ import annotations

import math

from dashboard.outputs import workbook
from dashboard.outputs.brief import Brief, KeyNumber
from dashboard.views.i18n import t

SUMMARY_WIDTHS = (62, 16, 24)  # label, value, change: the long texts span all three
LINE_CHARACTERS = 95  # characters of a wrapped line across the three columns (for its row's height)


def sheet_name(key: str, lang: str) -> str:
    """A table's sheet in the brief's language: `scenario_2_changes` is "สถานการณ์ 2 เปลี่ยนระดับ"."""
    if key.startswith("scenario_"):
        n, _, part = key.removeprefix("scenario_").partition("_")
        return t(f"brief.sheet.scenario{'_' + part if part else ''}", lang, n=n)[:31]
    return t(f"brief.sheet.{key}", lang)[:31]


def _formats(number: KeyNumber, lang: str) -> tuple[str, str]:
    """Excel's number formats of a key number and of its change, the unit written by the format."""
    if number.kind == "count":
        return "#,##0", "+#,##0;-#,##0;0"
    unit = t("unit.pp" if number.kind == "pct" else "unit.score", lang)
    change = f'+0.0" {unit}";-0.0" {unit}";0.0" {unit}"'
    if number.kind == "pct":
        return '0.0"%"', change
    return (f'#,##0.0" / {number.of:,.0f}"' if number.of is not None else "#,##0.0"), change


def _summary(book, brief: Brief) -> None:
    lang = brief.lang
    sheet = book.add_worksheet(t("brief.summary_title", lang)[:31])
    for c, width in enumerate(SUMMARY_WIDTHS):
        sheet.set_column(c, c, width)
    title = book.add_format({"bold": True, "font_size": 15, "text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    head = book.add_format(workbook.HEAD)
    row = 0

    def line(text: str, style) -> None:
        nonlocal row
        sheet.merge_range(row, 0, row, 2, text, style)
        lines = max(1, math.ceil(len(text) / LINE_CHARACTERS))
        sheet.set_row(row, 16 * lines * (1.3 if style is title else 1))
        row += 1

    line(brief.title, title)
    line(brief.summary, bold)
    line(brief.context, wrap)
    row += 1
    sheet.write_row(row, 0, [t("brief.key_numbers", lang), t("brief.value", lang), t("brief.change", lang)], head)
    row += 1
    for number in brief.numbers:
        value_format, change_format = (book.add_format({"num_format": f}) for f in _formats(number, lang))
        sheet.write_string(row, 0, number.label, wrap)
        for column, value, style in ((1, number.value, value_format), (2, number.change, change_format)):
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                sheet.write_number(row, column, float(value), style)
        row += 1
    row += 1
    if brief.warnings:
        line(t("brief.warnings", lang), bold)
        for warning in brief.warnings:
            line(warning, wrap)
    line(brief.footer, wrap)
    workbook.print_setup(sheet, row, 3, landscape=False, header=False)


def render(brief: Brief, pictures: dict[str, bytes] | None = None) -> bytes:
    lang = brief.lang

    def fill(book) -> None:
        _summary(book, brief)
        for table in brief.tables:
            workbook.add_table(book, sheet_name(table.key, lang), table.frame, table.headers)
        workbook.add_pairs(book, t("brief.filters", lang), brief.filters)
        workbook.add_pairs(book, t("brief.about", lang), brief.about)

    return workbook.to_bytes(fill)
