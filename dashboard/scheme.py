"""The scoring scheme: status levels with their cut-offs, and criterion maxima, per fiscal year.

The real cut-offs are not confirmed (../shared/domain/PMQA.md), so the scheme is data, never code:
data/scoring_scheme.json, or a scoring_scheme.json in the user's data folder, replaces it whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.errors import DataError

FILE_NAME = "scoring_scheme.json"
BUNDLED = Path(__file__).resolve().parent.parent / "data" / FILE_NAME


@dataclass(frozen=True)
class Scheme:
    path: Path
    illustrative: bool
    levels: pd.DataFrame  # scheme_year, level, level_rank, min_pct, label_th, label_en
    criteria: pd.DataFrame  # scheme_year, criterion, max_score


def scheme_path(data_dir: Path) -> Path:
    own = Path(data_dir) / FILE_NAME
    return own if own.is_file() else BUNDLED


def load(data_dir: Path) -> Scheme:
    path = scheme_path(data_dir)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        labels = {lv["level"]: lv for lv in doc["levels"]}
        levels = [
            {
                "scheme_year": int(year["fiscal_year"]),
                "level": name,
                "level_rank": rank,
                "min_pct": float(cutoff),
                "label_th": labels[name]["label_th"],
                "label_en": labels[name]["label_en"],
            }
            for year in doc["years"]
            for rank, (name, cutoff) in enumerate(sorted(year["cutoffs"].items(), key=lambda kv: kv[1]), start=1)
        ]
        criteria = [
            {"scheme_year": int(year["fiscal_year"]), "criterion": code, "max_score": float(mx)}
            for year in doc["years"]
            for code, mx in year.get("criteria", {}).items()
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: not a readable scoring scheme ({type(exc).__name__}: {exc})") from None
    return Scheme(
        path=path,
        illustrative=bool(doc.get("illustrative", True)),
        levels=pd.DataFrame(levels, columns=["scheme_year", "level", "level_rank", "min_pct", "label_th", "label_en"]),
        criteria=pd.DataFrame(criteria, columns=["scheme_year", "criterion", "max_score"]),
    )
