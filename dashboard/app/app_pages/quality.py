"""Data quality: per year, who was assessed, what was not, who joined, left, was renamed or moved,
and how the criteria changed: how far each year's numbers can be compared."""

import streamlit as st

from dashboard.app import cache, language, notices, tables
from dashboard.app.language import tr, year
from dashboard.views import sections
from dashboard.views.formatting import MISSING  # an empty cell, never "None"

st.title(tr("quality.title"))
shown = cache.section(sections.quality)
st.dataframe(shown["per_year"], hide_index=True, column_config=tables.columns(), placeholder=MISSING)

st.header(tr("quality.structure"))
for base, compare, changes in shown["structure"]:
    if len(changes):
        st.caption(tr("quality.structure_pair", base=year(base), compare=year(compare), n=len(changes)))
        st.dataframe(
            tables.readable(tables.named(changes)), hide_index=True, column_config=tables.columns(), placeholder=MISSING
        )
if not shown["structure"]:  # one year: nothing to compare it with
    st.info(tr("empty.one_year"), icon=":material/info:")
elif not any(len(changes) for _, _, changes in shown["structure"]):
    st.success(tr("quality.structure_same"))

st.header(tr("quality.agencies"))
if not notices.nothing_to_show(shown["agencies"], "quality.no_agency_changes"):
    st.dataframe(
        tables.readable(shown["agencies"]), hide_index=True, column_config=tables.columns(), placeholder=MISSING
    )

st.header(tr("quality.not_assessed"))
if not notices.nothing_to_show(shown["gaps"], "quality.no_gaps"):
    st.dataframe(
        tables.named(shown["gaps"].head(50)), hide_index=True, column_config=tables.columns(), placeholder=MISSING
    )

st.header(tr("quality.history"))
data = cache.current()
if not data.access.may("history"):
    st.info(tr("access.no_history"), icon=":material/lock:")
elif not data.is_store:
    st.info(tr("quality.history_none"), icon=":material/info:")
else:
    versions = cache.section(sections.history, language.code())
    st.caption(tr("quality.history_caption"))
    st.dataframe(versions, hide_index=True, column_config=tables.columns(), placeholder=MISSING)
