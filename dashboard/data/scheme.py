"""The scoring scheme: status levels with their cut-offs and criterion maxima per fiscal year, and
the names of the sub-items and criteria in Thai and English.

The real cut-offs are not confirmed (../shared/domain/PMQA.md), so the scheme is data, never code:
data/scoring_scheme.json, or a scoring_scheme.json in the user's data folder, replaces it whole.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

FILE_NAME = "scoring_scheme.json"
BUNDLED = Path(__file__).resolve().parents[2] / "data" / FILE_NAME


@dataclass(frozen=True)
class Scheme:
    path: Path
    illustrative: bool
    level_rows: tuple[tuple, ...]  # in LEVEL_COLUMNS
    criterion_rows: tuple[tuple, ...]  # scheme_year, criterion, max_score
    names: dict[str, dict[str, str]]  # criterion or sub-item code -> {"th": name, "en": name}

    # As tables only when asked: pandas alone is about 90 MB and 0.3 s, and an export's names or a
    # first open never need it.
    @functools.cached_property
    def levels(self) -> pd.DataFrame:
        """scheme_year, level, level_rank, min_pct, label_th, label_en."""
        import pandas as pd

        return pd.DataFrame(list(self.level_rows), columns=list(LEVEL_COLUMNS))

    @functools.cached_property
    def criteria(self) -> pd.DataFrame:
        """scheme_year, criterion, max_score."""
        import pandas as pd

        return pd.DataFrame(list(self.criterion_rows), columns=["scheme_year", "criterion", "max_score"])

    @property
    def criterion_codes(self) -> set[str]:
        """Every criterion some year of the scheme gives a maximum."""
        return {code for _, code, _ in self.criterion_rows}

    def criterion_name(self, code: str, lang: str) -> str | None:
        """A criterion's name, else the name of the sub-item above it (1.1.3 -> 1.1), else None."""
        while code:
            if code in self.names:
                return self.names[code][lang]
            code = code.rpartition(".")[0]
        return None

    def label(self, code: str, lang: str) -> str:
        """The code with its name beside it: "4.1.2 การวิเคราะห์และทบทวนผลการดำเนินการ"."""
        name = self.criterion_name(code, lang)
        return f"{code} {name}" if name else code


def scheme_path(data_dir: Path) -> Path:
    own = Path(data_dir) / FILE_NAME
    return own if own.is_file() else BUNDLED


def _document(data_dir: Path) -> tuple[Path, dict]:
    """The scheme's file and its JSON, refused whole if a key is missing or malformed."""
    path = scheme_path(data_dir)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: not a readable scoring scheme ({type(exc).__name__}: {exc})") from None
    problem = _problem(doc)
    if problem:
        raise DataError(f"{path}: scoring scheme key {problem[0]}: {problem[1]}")
    return path, doc


def check(data_dir: Path) -> None:
    """Refuse a scheme `load` would refuse, without building its tables: `validate` and every import
    check it, and pandas, which `load` needs, takes half a second to import."""
    _document(data_dir)


def maxima(data_dir: Path) -> list[tuple[int, str, float]]:
    """(scheme_year, criterion, max_score) of every year, checked as `load` checks them but without
    pandas, whose import alone takes longer than staging a CSV of a year's rows (staged_import)."""
    return [(row["scheme_year"], row["criterion"], row["max_score"]) for row in _criteria(_document(data_dir)[1])]


def _criteria(doc: dict) -> list[dict]:
    return [
        {"scheme_year": int(year["fiscal_year"]), "criterion": code, "max_score": float(mx)}
        for year in doc["years"]
        for code, mx in year.get("criteria", {}).items()
    ]


LEVEL_COLUMNS = ("scheme_year", "level", "level_rank", "min_pct", "label_th", "label_en")


def levels(data_dir: Path) -> list[tuple]:
    """Each year's levels in LEVEL_COLUMNS, lowest cut-off first, checked as `load` checks them but
    without pandas: the first open of new data keeps them, and pandas alone would add about 90 MB and
    0.3 s to it."""
    return _levels(_document(data_dir)[1])


def _levels(doc: dict) -> list[tuple]:
    labels = {lv["level"]: lv for lv in doc["levels"]}
    return [
        (int(year["fiscal_year"]), name, rank, float(cutoff), labels[name]["label_th"], labels[name]["label_en"])
        for year in doc["years"]
        for rank, (name, cutoff) in enumerate(sorted(year["cutoffs"].items(), key=lambda kv: kv[1]), start=1)
    ]


def load(data_dir: Path) -> Scheme:
    path, doc = _document(data_dir)
    return Scheme(
        path=path,
        illustrative=bool(doc.get("illustrative", True)),
        level_rows=tuple(_levels(doc)),
        criterion_rows=tuple((c["scheme_year"], c["criterion"], c["max_score"]) for c in _criteria(doc)),
        names={
            code: {"th": n["name_th"].strip(), "en": n["name_en"].strip()}
            for code, n in doc.get("criterion_names", {}).items()
        },
    )


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _problem(doc) -> tuple[str, str] | None:
    """The first key of the scheme that is missing or malformed, and what is wrong with it."""
    if not isinstance(doc, dict):
        return "(top)", "the file must hold a JSON object"
    if not isinstance(doc.get("levels"), list) or not doc["levels"]:
        return "levels", "must be a non-empty list"
    for i, level in enumerate(doc["levels"]):
        for key in ("level", "label_th", "label_en"):
            if not isinstance(level, dict) or not isinstance(level.get(key), str) or not level[key].strip():
                return f"levels[{i}].{key}", "must be a non-empty text"
    names = {level["level"] for level in doc["levels"]}
    if not isinstance(doc.get("years"), list) or not doc["years"]:
        return "years", "must be a non-empty list"
    for i, year in enumerate(doc["years"]):
        if not isinstance(year, dict):
            return f"years[{i}]", "must be an object"
        if not isinstance(year.get("fiscal_year"), int) or not 2400 <= year["fiscal_year"] <= 2800:
            return f"years[{i}].fiscal_year", "must be a B.E. year such as 2565"
        cutoffs = year.get("cutoffs")
        if not isinstance(cutoffs, dict) or not cutoffs:
            return f"years[{i}].cutoffs", "must be an object of level: minimum percentage"
        for name, cutoff in cutoffs.items():
            if name not in names:
                return f"years[{i}].cutoffs.{name}", "is not one of the levels"
            if not _number(cutoff) or not 0 <= cutoff <= 100:
                return f"years[{i}].cutoffs.{name}", "must be a percentage from 0 to 100"
        criteria = year.get("criteria", {})
        if not isinstance(criteria, dict):
            return f"years[{i}].criteria", "must be an object of criterion: maximum"
        for code, mx in criteria.items():
            if not _number(mx) or mx <= 0:
                return f"years[{i}].criteria.{code}", "must be a number above zero"
    names = doc.get("criterion_names", {})
    if not isinstance(names, dict):
        return "criterion_names", "must be an object of criterion: {name_th, name_en}"
    for code, name in names.items():
        for key in ("name_th", "name_en"):
            if not isinstance(name, dict) or not isinstance(name.get(key), str) or not name[key].strip():
                return f"criterion_names.{code}.{key}", "must be a non-empty text"
    return None
