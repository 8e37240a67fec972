"""Data quality: per year, who was assessed, what was not, who joined, left, was renamed or moved,
and how the criteria changed: how far each year's numbers can be compared."""

import streamlit as st

from dashboard.app import ui

st.title(ui.tr("quality.title"))
st.dataframe(ui.query("data_quality_by_year"), hide_index=True, column_config=ui.columns())

st.header(ui.tr("quality.structure"))
years = ui.store().years()
pairs = [
    (b, c, ui.query("criterion_changes_between_years", base_year=b, compare_year=c))
    for b, c in zip(years, years[1:], strict=False)
]
for base, compare, changes in pairs:
    if len(changes):
        st.caption(ui.tr("quality.structure_pair", base=ui.year(base), compare=ui.year(compare), n=len(changes)))
        st.dataframe(ui.readable(ui.named(changes)), hide_index=True, column_config=ui.columns())
if len(years) < 2:
    st.info(ui.tr("empty.one_year"), icon=":material/info:")
elif not any(len(changes) for _, _, changes in pairs):
    st.success(ui.tr("quality.structure_same"))

st.header(ui.tr("quality.agencies"))
changed = ui.query("agency_changes_by_year")
if not ui.nothing_to_show(changed, "quality.no_agency_changes"):
    st.dataframe(ui.readable(changed), hide_index=True, column_config=ui.columns())

st.header(ui.tr("quality.not_assessed"))
gaps = ui.query("criterion_gaps_by_year")
if not ui.nothing_to_show(gaps, "quality.no_gaps"):
    st.dataframe(ui.named(gaps.head(50)), hide_index=True, column_config=ui.columns())

st.header(ui.tr("quality.history"))
if not ui.store().access.may("history"):
    st.info(ui.tr("access.no_history"), icon=":material/lock:")
elif (versions := ui.history_table()) is None:
    st.info(ui.tr("quality.history_none"), icon=":material/info:")
else:
    st.caption(ui.tr("quality.history_caption"))
    st.dataframe(versions, hide_index=True, column_config=ui.columns())
