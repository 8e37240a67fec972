"""The Scenarios page's inputs: a proposal made by editing the year's scheme in two tables (or uploaded
as a file), and a file of candidate indicators. An edited proposal lives in the link as its file's
JSON (`?a=…&b=…`), so a link reproduces it; an uploaded file cannot be in a link, and is named.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard.app import cache, files
from dashboard.app.language import escape, tr
from dashboard.data import proposal
from dashboard.errors import DataError
from dashboard.views import sections

MODES = ("edit", "upload")


def _start(slot: str) -> dict:
    """The proposal the editor starts from: the link's, read once per session (the editor's own
    state holds the edits made since; starting again from them would apply them twice)."""
    key, text = f"_scn_{slot}_start", st.session_state.get(f"scn_{slot}")
    if key not in st.session_state:
        st.session_state[key] = {}
        try:
            if text:
                proposal.parse(text, "link")  # checked as a file is; the keys as the link gives them
                st.session_state[key] = json.loads(text)
        except DataError as exc:
            slot_name = tr(f"scenarios.default_{slot}")
            st.warning(tr("scenarios.bad_link", slot=slot_name, error=escape(str(exc))), icon=":material/link_off:")
    return st.session_state[key]


def _cutoff_table(levels: list[dict], start: dict, lang: str) -> pd.DataFrame:
    asked = start.get("cutoffs", {})
    return pd.DataFrame(
        {
            "level": [lv["level"] for lv in levels],
            "label": [lv[lang] for lv in levels],
            "now": [lv["min_pct"] for lv in levels],
            "proposed": [float(asked.get(lv["level"], lv["min_pct"])) for lv in levels],
        }
    )


def _criteria_table(criteria: list[dict], start: dict) -> pd.DataFrame:
    """One row per criterion of the year and per new one of the starting proposal."""
    asked, sources = start.get("criteria"), start.get("sources", {})
    rows = [
        {
            "criterion": c["criterion"],
            "name": c["name"],
            "now": c["max_score"],
            "proposed": float((asked or {}).get(c["criterion"], c["max_score"])),
            "keep": asked is None or c["criterion"] in asked,
            "source": sources.get(c["criterion"], ""),
        }
        for c in criteria
    ]
    have = {c["criterion"] for c in criteria}
    rows += [
        {
            "criterion": code,
            "name": "",
            "now": None,
            "proposed": float(mx),
            "keep": True,
            "source": sources.get(code, ""),
        }
        for code, mx in (asked or {}).items()
        if code not in have
    ]
    return pd.DataFrame(rows, columns=["criterion", "name", "now", "proposed", "keep", "source"])


def _doc(names: dict, cutoffs: pd.DataFrame, criteria: pd.DataFrame) -> dict:
    """The edited tables as a proposal file: only what differs from the year's scheme."""
    doc: dict = dict(names)
    moved = cutoffs[cutoffs["proposed"] != cutoffs["now"]]
    if not moved.empty:
        doc["cutoffs"] = {r.level: _plain(r.proposed) for r in moved.itertuples()}
    rows = criteria.dropna(subset=["criterion"])
    rows = rows[rows["criterion"].astype(str).str.strip() != ""]
    kept = rows[rows["keep"].fillna(True).astype(bool)]
    sources = {str(r.criterion).strip(): str(r.source).strip() for r in kept.itertuples() if _text(r.source)}
    changed = len(kept) < len(rows) or (kept["proposed"] != kept["now"]).any() or kept["now"].isna().any()
    if changed or sources:
        doc["criteria"] = {str(r.criterion).strip(): _plain(r.proposed) for r in kept.itertuples()}
    if sources:
        doc["sources"] = sources
    return doc


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _plain(value):
    """A number as JSON writes it plainly (10, not 10.0); anything else as it is, for the check to name."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if pd.isna(value) else value


def edited(slot: str, year: int, lang: str) -> proposal.Proposal | None:
    """A proposal made in two tables that start from the year's scheme; saved as a file on request."""
    start = _start(slot)
    levels = cache.section(sections.year_levels, year)
    criteria = cache.section(sections.year_criteria, year, lang)
    name = st.text_input(
        tr("scenarios.name"), value=start.get(f"name_{lang}", tr(f"scenarios.default_{slot}")), key=f"scn_{slot}_name"
    )
    cutoffs = st.data_editor(
        _cutoff_table(levels, start, lang),
        column_config=_columns("cutoffs"),
        disabled=["level", "label", "now"],
        hide_index=True,
        key=f"scn_{slot}_cutoffs",
    )
    table = st.data_editor(
        _criteria_table(criteria, start),
        column_config=_columns("criteria"),
        disabled=["name", "now"],
        hide_index=True,
        num_rows="dynamic",
        key=f"scn_{slot}_criteria",
    )
    other = "en" if lang == "th" else "th"  # the name in the other language stays the link's
    names = {f"name_{lang}": name, f"name_{other}": start.get(f"name_{other}", name)}
    doc = _doc(dict(sorted(names.items(), reverse=True)), cutoffs, table)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    changes = set(doc) - {"name_th", "name_en"}
    st.session_state[f"scn_{slot}"] = text if changes else None  # the link
    if not changes:  # the year's scheme as it is: nothing to compare
        st.caption(tr("scenarios.unchanged"))
        return None
    try:
        found = proposal.parse(text, f"{name}.json")
    except DataError as exc:
        st.error(escape(str(exc)))
        return None
    st.download_button(
        tr("scenarios.save"),
        data=json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"),
        file_name="proposal.json",
        mime="application/json",
        on_click="ignore",
        key=f"scn_{slot}_save",
    )
    return found


def _columns(table: str) -> dict:
    pct = {"format": "%.0f%%", "min_value": 0.0, "max_value": 100.0}
    if table == "cutoffs":
        return {
            "level": None,
            "label": st.column_config.TextColumn(tr("scenarios.col.level")),
            "now": st.column_config.NumberColumn(tr("scenarios.col.cutoff_now"), **pct),
            "proposed": st.column_config.NumberColumn(tr("scenarios.col.cutoff_proposed"), **pct),
        }
    return {
        "criterion": st.column_config.TextColumn(
            tr("scenarios.col.criterion"), help=tr("scenarios.col.criterion_help")
        ),
        "name": st.column_config.TextColumn(tr("scenarios.col.name")),
        "now": st.column_config.NumberColumn(tr("scenarios.col.max_now"), format="%.1f"),
        "proposed": st.column_config.NumberColumn(tr("scenarios.col.max_proposed"), format="%.1f", min_value=0.0),
        "keep": st.column_config.CheckboxColumn(tr("scenarios.col.keep")),
        "source": st.column_config.TextColumn(tr("scenarios.col.source"), help=tr("scenarios.col.source_help")),
    }


def uploaded(slot: str) -> proposal.Proposal | None:
    """A proposal from a file: named on the page, never in the link."""
    st.session_state[f"scn_{slot}"] = None
    upload = st.file_uploader(tr("scenarios.upload"), type=["json"], key=f"scn_{slot}_file")
    if upload is None:
        return None
    try:
        return proposal.parse(upload.getvalue(), upload.name)
    except DataError as exc:
        st.error(escape(str(exc)))
        return None


def indicators() -> proposal.Indicators:
    """The candidate indicators' file, read with the importer's limits; none: no candidates."""
    upload = st.file_uploader(
        tr("scenarios.indicators"), type=["csv", "xlsx"], key="scn_indicators", help=tr("scenarios.indicators_help")
    )
    if upload is None:
        return proposal.NO_INDICATORS
    with files.uploaded(upload) as path:
        try:
            return proposal.read_indicators(path, upload.name)
        except DataError as exc:
            st.error(escape(str(exc)))
            return proposal.NO_INDICATORS
