"""The brief as an Excel workbook: the summary, one sheet per table with headers in the brief's
language and formatted numbers, the selection and an about sheet. Text is never a formula."""

from __future__ import annotations

from dashboard.outputs import workbook
from dashboard.outputs.brief import Brief
from dashboard.views.i18n import t


def render(brief: Brief, pictures: dict[str, bytes] | None = None) -> bytes:
    lang = brief.lang

    def fill(book) -> None:
        summary = [(t("brief.summary_title", lang), brief.summary), ("", brief.context)]
        summary += [(label, f"{value}  ({delta})" if delta else value) for label, value, delta in brief.kpis]
        summary += [(t("brief.warnings", lang), w) for w in brief.warnings]
        summary.append(("", brief.footer))
        workbook.add_pairs(book, t("brief.summary_title", lang), [(brief.title, ""), *summary])
        for table in brief.tables:
            workbook.add_table(book, table.key, table.frame, table.headers)
        workbook.add_pairs(book, "filters", brief.filters)
        workbook.add_pairs(book, "about", brief.about)

    return workbook.to_bytes(fill)
