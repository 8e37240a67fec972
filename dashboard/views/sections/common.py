"""What several pages, the command line and the brief share: the years and groups the data holds,
the agencies a filter leaves, criterion names and the level cut-offs."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

from dashboard.data import delta
from dashboard.data.contract import AGENCY_TYPES as AGENCY_TYPES  # the pages offer these
from dashboard.data.db import Filters

if TYPE_CHECKING:  # the command line's `summary` runs without pandas
    import pandas as pd


class Data(Protocol):
    """A db.Store: the data as one person may see it."""

    def query(self, name: str, filters: Filters | None = None, **params) -> pd.DataFrame: ...

    def records(self, name: str, filters: Filters | None = None, **params) -> list[dict]: ...


def value(row: pd.Series | None, column: str):
    """A cell of a row that may be missing, with NULL and NaN as None."""
    if row is None:
        return None
    found = row[column]
    return None if found is None or (isinstance(found, float) and math.isnan(found)) else found


def minus(a, b):
    return None if a is None or b is None else a - b


def groups(data: Data) -> pd.DataFrame:
    """Every ministry or cluster, with its English name and the agency types in it."""
    return data.query("group_list")


def agency_labels(data: Data, filters: Filters, column: str) -> dict[str, str]:
    """Code -> one of agency_list's label columns, for the agencies the filters leave."""
    df = data.query("agency_list", filters)
    return dict(zip(df["agency_code"].tolist(), df[column].tolist(), strict=True))  # lists: fast, rows are not


def data_source(data) -> dict:
    """Where the numbers come from: the years with their rows, and a store's latest version."""
    years = data.query("fiscal_years")
    return {
        "years": [int(y) for y in years["fiscal_year"]],
        "rows": int(years["criterion_rows"].sum()),
        "latest": delta.version_of(data.data_dir) if data.is_store else None,
    }


def cutoffs(scheme, year: int | None, lang: str) -> list[tuple[str, float]]:
    """The status levels' cut-offs in force in a year (the scheme's latest year up to it), named in
    `lang`: the reference lines on charts of percentages."""
    levels = scheme.levels
    in_force = levels[levels.scheme_year <= year] if year is not None else levels.head(0)
    if in_force.empty:
        return []
    latest = in_force[in_force.scheme_year == in_force.scheme_year.max()].sort_values("min_pct")
    return [(r[f"label_{lang}"], float(r.min_pct)) for _, r in latest.iterrows()]


def criterion_names(data: Data, scheme, lang: str) -> dict[str, str]:
    """Criterion and sub-item code -> name in `lang`: the data's own names (optional columns
    criterion_name_th / _en) first, then the scoring scheme's; a criterion without a name of its
    own takes its sub-item's."""
    codes = scheme.criterion_codes | set(scheme.names)
    names = {code: scheme.criterion_name(code, lang) for code in codes}
    for row in data.records("criterion_names"):  # rows, not a table: an export's names need no pandas
        # The data's name is the authority on what its criterion measures, even in the other language.
        own = row[f"criterion_name_{lang}"]
        names[row["criterion"]] = own if isinstance(own, str) else row["criterion_name_th"] or row["criterion_name_en"]
    return {code: name for code, name in names.items() if name}


def with_names(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """A table of criteria with each one's name (from `criterion_names`) beside its code."""
    out = frame.copy()
    out.insert(
        list(frame.columns).index("criterion") + 1, "criterion_name", [names.get(c, "") for c in frame["criterion"]]
    )
    return out
