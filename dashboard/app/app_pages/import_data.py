"""Import: upload a CSV or XLSX, see every problem or a preview; write only when the app allows it."""

import os

import streamlit as st

from dashboard.app import cache, files, link, tables
from dashboard.app.language import escape, tr
from dashboard.errors import DataError

st.title(tr("import.title"))
data = cache.current()
allowed = os.environ.get("PMQA_ALLOW_IMPORT") == "1" and data.access.may("import")
if not allowed:
    st.info(tr("import.disabled"), icon=":material/lock:")
elif not data.is_store:
    allowed = False
    st.info(tr("import.not_store"), icon=":material/lock:")

upload = st.file_uploader(tr("import.upload"), type=["csv", "xlsx"])
year = st.number_input(
    tr("import.year"), min_value=2400, max_value=2800, value=None, step=1, help=tr("import.year_help")
)
if upload is None:
    link.stop()

with files.uploaded(upload) as path:
    sheets = files.sheet_names(path)
    sheet = st.selectbox(
        tr("import.sheet"),
        [None, *sheets],
        format_func=lambda s: s or tr("import.all_sheets"),
        disabled=not sheets,
    )
    try:
        with st.spinner(tr("import.checking")):
            prepared = files.check(path, int(year) if year else None, sheet, upload.name)
    except DataError as exc:  # a file past the import's limits is refused here, before it is read
        st.error(escape(str(exc)))  # the file's own name and headers in it: never Markdown
        link.stop()

if not prepared.ok:
    st.error(tr("import.problems", n=prepared.total_problems))
    st.dataframe(prepared.problems_frame(), hide_index=True)
    link.stop()

if prepared.notices:
    st.warning("\n".join([tr("import.notices"), *(f"- {escape(n)}" for n in prepared.notices)]))
done = prepared.summary()
st.success(
    tr("import.valid", years=", ".join(map(str, done["years"])), agencies=done["agencies"], rows=f"{done['rows']:,}")
)
st.dataframe(prepared.table.slice(0, 200).to_pandas(), hide_index=True, column_config=tables.columns())
replace = st.checkbox(tr("import.replace"), disabled=not allowed)
if st.button(tr("import.write"), disabled=not allowed, type="primary"):
    try:
        lines, version = files.write(prepared, replace, upload.name)
    except DataError as exc:
        st.error(str(exc))
        link.stop()
    for line in lines:
        st.write(line)
    st.success(tr("import.written", folder=cache.data_dir().name, version=version))
