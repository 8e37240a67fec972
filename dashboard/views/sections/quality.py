"""Data quality: per year who was assessed and what was not, how agencies and criteria changed;
and the store's versions, as the page's table and the command line's lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.data import contract
from dashboard.views.i18n import t

if TYPE_CHECKING:
    import pandas as pd

HISTORY_COLUMNS = ["version", "timestamp", "operation", "years", "rows", "sources", "user"]


def quality(data) -> dict:
    """Each year's counts, the criteria changed between each pair of consecutive years, the agencies
    that joined, left, were renamed or moved, and the criteria not assessed."""
    years = data.years()
    return {
        "per_year": data.query("data_quality_by_year"),
        "structure": [
            (b, c, data.query("criterion_changes_between_years", base_year=b, compare_year=c))
            for b, c in zip(years, years[1:], strict=False)
        ],
        "agencies": data.query("agency_changes_by_year"),
        "gaps": data.query("criterion_gaps_by_year"),
    }


def operation(entry: dict, lang: str) -> str:
    """What a version did, in the reader's language."""
    if entry["operation"] == "restore":
        return t("op.restore", lang, version=entry["restored_version"])
    if entry["operation"] in ("import", "replace"):
        return t(f"op.{entry['operation']}", lang)
    return t("op.other", lang, operation=entry["operation"])


def _sources(entry: dict) -> str:
    return ", ".join(s["name"] for s in entry["sources"])  # names as given: escaped where shown


def history(data, lang: str) -> pd.DataFrame:
    """A store's versions as a table a person reads, newest first (no row for a folder of exports);
    for a role that may read them. Names and users come from files and are shown escaped."""
    import pandas as pd

    from dashboard.data import actions  # the one door that checks the right to read the history

    entries = actions.history(data.data_dir, data.access) if data.is_store else []
    rows = [
        {
            "version": e["version"],
            "timestamp": e["timestamp"].replace("T", " ").removesuffix("+00:00"),
            "operation": contract.printable(operation(e, lang)),
            "years": ", ".join(map(str, e["years"])),
            "rows": sum(e["rows"].values()) or None,
            "sources": contract.printable(_sources(e)),
            "user": e["user"] and contract.printable(e["user"]),
        }
        for e in entries
    ]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def history_line(entry: dict) -> str:
    """One version as the command line's `history` prints it: its rows per year, or what it restored."""
    rows = ", ".join(f"{y}: {n:,}" for y, n in entry["rows"].items())
    what = f"restored version {entry['restored_version']}" if entry["restored_version"] is not None else rows
    years = ", ".join(map(str, entry["years"])) or "—"
    line = (
        f"{entry['version']:>4}  {entry['timestamp']}  {entry['operation']:<8} years {years}  {what}  {_sources(entry)}"
    )
    return contract.printable(line.rstrip())
