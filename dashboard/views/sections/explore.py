"""Explore and export: the agency- or criterion-level table after the filters, a window of it for
the page, every row of it for a file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from dashboard.data import contract
from dashboard.data.db import Filters, Store
from dashboard.views.i18n import category_name, t, year_label
from dashboard.views.sections.common import criterion_names
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
    return store.query(EXPORT_QUERIES[level], _door(store, level, filters, via, details))


@contextlib.contextmanager
def rows(store: Store, level: str, filters: Filters | None = None, *, via: str, **details) -> Iterator:
    """`table`'s rows as a DuckDB relation on a connection of the export's own (Store.relation), read
    while the block runs: what an XLSX export writes batch by batch, never holding the table in
    memory. The same door as `table`: permitted and recorded first."""
    filters = _door(store, level, filters, via, details)
    with store.relation(EXPORT_QUERIES[level], filters) as relation:
        yield relation


def copied(store: Store, level: str, filters: Filters | None, select, options: str, to, *, via: str, **details) -> int:
    """`table`'s rows written to the file `to` by DuckDB's COPY (Store.copy_to: `select` and `options`
    say how); how many: what a CSV or Parquet export writes. The same door as `table`: permitted and
    recorded first."""
    filters = _door(store, level, filters, via, details)
    return store.copy_to(EXPORT_QUERIES[level], filters, select, options, to)


def _door(store: Store, level: str, filters: Filters | None, via: str, details: dict) -> Filters:
    """The filters, once their years are known and the export is permitted and recorded."""
    filters = filters or Filters()
    if filters.years:
        store.require_years(*filters.years)
    _permit(store, level, filters, via, details)
    return filters


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


# The export's columns as a reader reads them (`reading`): the contract's, a criterion's name and
# the percentage; each has a col.* label.
EXPORT_COLUMNS = (*contract.COLUMNS, "criterion_name", "pct")


def reading(store: Store, level: str, filters: Filters, lang: str) -> dict:
    """How the export's XLSX reads in `lang` (export.write's `reading`): its headers, agency types in
    words, each criterion's name (criterion level), and an about sheet that names the data, the
    table and its filters in words."""
    from dashboard.data.contract import AGENCY_TYPES

    def listed(values, word) -> str:
        return ", ".join(word(v) for v in values) or t("filter.all", lang)

    synthetic = t("brief.yes" if store.synthetic else "brief.no", lang)
    about = [
        (t("export.about.source", lang), store.version_label),
        (t("export.about.level", lang), t(f"level.{level}", lang)),
        (t("export.about.years", lang), listed(sorted(filters.years), lambda y: year_label(y, lang))),
        (
            t("export.about.categories", lang),
            listed(sorted(filters.categories), lambda c: f"{c} {category_name(c, lang)}"),
        ),
        (t("filter.types", lang), listed(filters.agency_types, lambda v: t(f"type.{v}", lang))),
        (t("filter.groups", lang), listed(filters.groups, str)),
        (t("export.about.agencies", lang), listed(filters.agencies, str)),
        (t("brief.about.synthetic", lang), synthetic),
        (t("export.about.codes", lang), t("export.about.codes_text", lang)),
    ]
    return {
        "headers": {c: t(f"col.{c}", lang) for c in EXPORT_COLUMNS},
        "values": {"agency_type": {code: t(f"type.{code}", lang) for code in AGENCY_TYPES}},
        "names": criterion_names(store, store.scheme, lang) if level == "criterion" else {},
        "about": about,
        "sheet": t("export.sheet", lang),
        "about_sheet": t("export.about_sheet", lang),
    }
