"""Revision scenarios, for the working group: what a proposed scheme (maxima moved, criteria dropped or
added from candidate indicators, cut-offs changed) would do to every agency's status level in the
compare year; two proposals side by side."""

import streamlit as st

from dashboard.app import briefs, cache, language, link, plots, proposals, sidebar, tables
from dashboard.app.language import escape, labels, tr, year
from dashboard.errors import DataError
from dashboard.outputs import brief, charts
from dashboard.views import formatting as fmt
from dashboard.views import sections

SLOTS = ("a", "b")

lang = language.code()
base, compare = sidebar.pair()
st.title(tr("scenarios.title"))
st.caption(tr("scenarios.intro", year=year(compare)))
filters = sidebar.filters()
data = cache.current()

candidates = proposals.indicators()
chosen = {}
for slot, tab in zip(SLOTS, st.tabs([tr(f"scenarios.default_{s}") for s in SLOTS]), strict=True):
    with tab:
        link.start(f"scn_{slot}_mode", list(proposals.MODES), "edit")
        mode = st.radio(
            tr("scenarios.mode"),
            proposals.MODES,
            key=f"scn_{slot}_mode",
            horizontal=True,
            format_func=labels(proposals.MODES, lambda m: tr(f"scenarios.mode.{m}")),
        )
        made = proposals.edited(slot, compare, lang) if mode == "edit" else proposals.uploaded(slot)
        if made is not None:
            chosen[slot] = made

if not chosen:
    st.info(tr("scenarios.none"), icon=":material/info:")
    link.stop()

results = {}
for slot, made in chosen.items():
    try:
        results[slot] = cache.section(sections.scenario, compare, made, candidates, filters, lang)
    except DataError as exc:  # a source the indicators file lacks, a cut-off that does not rise
        st.error(f"{tr(f'scenarios.default_{slot}')}: {escape(str(exc))}")
if not results:
    link.stop()

uploaded = [
    f"{tr(f'scenarios.default_{s}')}: {escape(chosen[s].file)}"
    for s in results
    if st.session_state.get(f"scn_{s}_mode") == "upload"
]
if candidates.file:
    uploaded.append(f"{tr('scenarios.indicators_short')}: {escape(candidates.file)}")
if uploaded:  # a link reproduces everything but a file: say which files this view needs
    st.caption(tr("scenarios.files", files="; ".join(uploaded)))
for slot, found in results.items():
    for n in found["notices"]:
        st.warning(
            f"{tr(f'scenarios.default_{slot}')}: "
            + tr(f"scenarios.notice.{n['notice']}", **{k: escape(v) for k, v in n.items() if k != "notice"}),
            icon=":material/info:",
        )


def name_of(slot: str) -> str:
    return results[slot]["proposal"]["name"]


# --- agencies per level, now and proposed -------------------------------------------------------------
st.header(tr("scenarios.levels_title", year=year(compare)))
first = next(iter(results.values()))
now = [{"level": lv["level"], "label": lv["label"], "count": lv["current"]} for lv in first["levels"]]
columns = [(tr("scenarios.now"), now)] + [
    (name_of(s), [{"level": lv["level"], "label": lv["label"], "count": lv["proposed"]} for lv in r["levels"]])
    for s, r in results.items()
]
plots.plot(
    cache.figure(
        ("scenario_levels", compare, filters, lang, tuple(chosen.items()), candidates.file),
        lambda: charts.scenario_levels(columns, lang),
    )
)
named = {}  # each proposal's column, by its name; two of one name are told apart by their tab's
for slot, found in results.items():
    named[name_of(slot) if name_of(slot) not in named else f"{name_of(slot)} ({tr(f'scenarios.default_{slot}')})"] = (
        found
    )
total = sum(lv["count"] for lv in now)
st.dataframe(sections.levels_side_by_side(named, lang), hide_index=True)
st.caption(tr("scenarios.levels_note", n=f"{total:,}"))

# --- the change per category ----------------------------------------------------------------------------
st.header(tr("scenarios.categories_title"))
cats = sections.categories_side_by_side(named, lang)
st.dataframe(
    cats,
    hide_index=True,
    column_config={c: st.column_config.NumberColumn(format="%.1f") for c in cats.columns[1:]},
)

# --- the candidate indicators ---------------------------------------------------------------------------
if candidates.file:
    st.header(tr("scenarios.indicators_title"))
    if not first["indicators"]:
        st.info(tr("scenarios.no_candidates", year=year(compare)), icon=":material/info:")
    else:
        described = sections.indicators_table(first, lang)
        st.dataframe(
            described,
            hide_index=True,
            column_config={  # the correlations to two places, the figures to one
                name: st.column_config.NumberColumn(format="%.2f" if c.startswith(("corr", "disc")) else "%.1f")
                for c, name in zip(sections.INDICATOR_COLUMNS, described.columns, strict=True)
                if c not in ("indicator", "agencies")
            },
        )
        st.caption(tr("scenarios.indicators_note", n=10))

# --- the meeting pack, carrying the proposals shown ---
if base is None or base == compare:  # a brief compares two years: the scenario is of the compare year
    st.caption(tr("scenarios.brief_needs_base"))
else:
    shown = tuple(brief.Scenario(chosen[s], candidates) for s in results)
    briefs.offer(data, base, compare, filters, False, lang, shown)

# --- who changes level ------------------------------------------------------------------------------------
st.header(tr("scenarios.changes_title"))
if first["changes"] is None:  # agency lists are for analysts
    st.caption(tr("scenarios.no_rows"))
    link.stop()
groups = sidebar.group_names()
tabs = st.tabs([escape(name_of(s)) for s in results])  # names from a file or a link: text, never Markdown
for slot, tab in zip(results, tabs, strict=True):
    moved = sections.changes_table(results[slot], lang)
    with tab:
        st.caption(tr("scenarios.changes_count", n=f"{len(moved):,}", total=f"{total:,}"))
        if moved.empty:
            continue
        moved = moved.assign(agency_group=moved["agency_group"].map(groups).fillna(moved["agency_group"]))
        st.dataframe(tables.readable(moved), hide_index=True, column_config=tables.columns(), placeholder=fmt.MISSING)
