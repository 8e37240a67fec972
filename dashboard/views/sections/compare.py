"""Whether two years can be compared: the criteria added, removed or rescored between them, and the
one warning every page, the command line and the brief print beside such a comparison."""

from __future__ import annotations

from dashboard.views.i18n import t

SHOWN = 8  # criteria named in a warning; the count says how many there are


def criteria_changed(data, base: int, compare: int) -> list[str]:
    """The codes of the criteria added, removed or rescored between two years (none: measured alike)."""
    return [
        r["criterion"] for r in data.records("criterion_changes_between_years", base_year=base, compare_year=compare)
    ]


def warning(changed: list[str], base: str, compare: str, lang: str, terse: bool = False) -> str:
    """The caution beside a comparison of two years (labelled as the reader reads them) whose
    criteria differ; `terse` is the command line's note."""
    shown = ", ".join(changed[:SHOWN]) + (" …" if len(changed) > SHOWN else "")
    key = "compare.note" if terse else "compare.warning"
    return t(key, lang, base=base, compare=compare, n=len(changed), criteria=shown)
