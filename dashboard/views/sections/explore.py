"""Explore and export: the agency- or criterion-level table after the filters, a window of it for
the page, every row of it for a file."""

from __future__ import annotations

from dashboard.data.db import Filters, Store

EXPORT_QUERIES = {"agency": "pct_by_agency_category_year", "criterion": "score_by_agency_criterion_year"}


def window(store: Store, level: str, rows: int, filters: Filters) -> tuple:
    """The table's first `rows` rows, and its size: rows and agencies."""
    return store.window(EXPORT_QUERIES[level], rows, filters)


def table(store: Store, level: str, filters: Filters | None = None, *, via: str, **details):
    """The agency- or criterion-level table after the filters, every row: what export and the
    downloads write, for a person whose role allows exports, recorded in the audit trail (`via` and
    `details`: where from, and the file) before a row is read."""
    from dashboard.data import actions  # only exports need the audit trail: `pmqa summary` stays light

    filters = filters or Filters()
    if filters.years:
        store.require_years(*filters.years)
    actions.permit("export", store.access, via, level=level, filters=filters, data=store.version_label, **details)
    return store.query(EXPORT_QUERIES[level], filters)
