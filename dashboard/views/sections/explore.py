"""Explore and export: the agency- or criterion-level table after the filters, a window of it for
the page, every row of it for a file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from dashboard.data.db import Filters, Store
from dashboard.views.sections.criteria import agencies_below

EXPORT_QUERIES = {"agency": "pct_by_agency_category_year", "criterion": "score_by_agency_criterion_year"}
# The agencies below a criterion, as a file: criteria.agencies_below's rows, in its order.
BELOW_COLUMNS = [
    "agency_code",
    "agency_name",
    "agency_type",
    "agency_group",
    "score",
    "max_score",
    "pct",
    "base_pct",
    "total_pct",
]


def window(store: Store, level: str, rows: int, filters: Filters) -> tuple:
    """The table's first `rows` rows, and its size: rows and agencies."""
    return store.window(EXPORT_QUERIES[level], rows, filters)


def table(store: Store, level: str, filters: Filters | None = None, *, via: str, **details):
    """The agency- or criterion-level table after the filters, every row: what export and the
    downloads write, for a person whose role allows exports, recorded in the audit trail (`via` and
    `details`: where from, and the file) before a row is read."""
    filters = filters or Filters()
    if filters.years:
        store.require_years(*filters.years)
    _permit(store, level, filters, via, details)
    return store.query(EXPORT_QUERIES[level], filters)


@contextlib.contextmanager
def rows(store: Store, level: str, filters: Filters | None = None, *, via: str, **details) -> Iterator:
    """`table`'s rows as Arrow record batches, read while the block runs: what an export writes
    without holding the table in memory. The same door as `table`: permitted and recorded first."""
    filters = filters or Filters()
    if filters.years:
        store.require_years(*filters.years)
    _permit(store, level, filters, via, details)
    with store.stream(EXPORT_QUERIES[level], filters) as batches:
        yield batches


def _permit(store: Store, level: str, filters: Filters, via: str, details: dict) -> None:
    """Every export's one door: refused for a role that may not export, recorded before it leaves."""
    from dashboard.data import actions  # only exports need the audit trail: `pmqa summary` stays light

    actions.permit("export", store.access, via, level=level, filters=filters, data=store.version_label, **details)


def below_table(
    store: Store, year: int, criterion: str, threshold: int, base: int | None, filters: Filters, *, via: str, **details
):
    """The agencies below a criterion (criteria.agencies_below, its rows as they are) as a table for
    a file, through the same door as `table`. The rows are read first, so a request the section
    refuses (a viewer, an unknown criterion) writes no audit line; nothing leaves before the line."""
    import pandas as pd

    below = agencies_below(store, year, criterion, threshold, base, filters)
    _permit(
        store, "agencies_below", filters, via, details | {"year": year, "criterion": criterion, "threshold": threshold}
    )
    return pd.DataFrame(below["agencies"], columns=BELOW_COLUMNS)
