"""Import: upload a CSV or XLSX, see every problem or a preview; write only when the app allows it."""

import os

import streamlit as st

from dashboard.app import cache, files, link, tables
from dashboard.app.language import escape, tr
from dashboard.errors import DataError
from dashboard.views.formatting import MISSING  # an empty cell, never "None"

PROBLEM_COLUMNS = ("file", "sheet", "row", "column", "problem")


def said(code: str, detail: str, message: str) -> str:
    """A problem in the reader's language: its code's words with its detail, and the row the check
    named by its key ("[key 2566/A1/1.1]", year/agency/criterion, in words); a problem without a code
    keeps the check's own words."""
    if not code:
        return message
    words = tr(f"import.problem.{code}", detail=detail)
    if not (message.endswith("]") and " [key " in message):
        return words
    return words + " " + tr("import.problem_key", row_key=message[message.rfind(" [key ") + 6 : -1])


def refused(exc: DataError) -> str:
    """A file refused whole, in the reader's language: the place (file, sheet, row, column), then why
    from the refusal's code and values; a refusal without a code keeps its own words."""
    if not exc.code:
        return str(exc)
    values = dict(exc.values)
    place = values.pop("place", {})
    if "unit" in values:  # rows, columns, cells, text, bytes or parts
        values["unit"] = tr(f"import.unit.{values['unit']}")
    parts = [tr(f"import.place.{k}", name=place[k]) for k in ("sheet", "row", "column") if k in place]
    where = ", ".join([place["file"], *parts] if "file" in place else parts)
    why = tr(f"import.refused.{exc.code}", **values)
    return f"{where}: {why}" if where else why


def show_problems(frame) -> None:
    """Every problem, in the file's order, wrapped in full (a grid cut the long ones off)."""
    frame = frame.assign(problem=[said(*r) for r in zip(frame["code"], frame["detail"], frame["problem"], strict=True)])
    # a file's own problem has no row: the others' numbers stay whole ("2", never "2.0")
    frame = frame.assign(row=[str(int(r)) if r == r and r is not None else "" for r in frame["row"]])
    frame = frame[list(PROBLEM_COLUMNS)].astype(object).where(frame[list(PROBLEM_COLUMNS)].notna(), "")
    st.table(frame.rename(columns={c: tr(f"import.col.{c}") for c in PROBLEM_COLUMNS}), hide_index=True)


st.title(tr("import.title"))
written = st.session_state.pop("_imported", None)
if written:  # said after the rerun that showed the new version everywhere, the sidebar too
    per_year, folder, version = written
    st.success(
        "\n\n".join(
            [tr("import.written", folder=folder, version=version)]
            + [tr("import.written_year", year=y, rows=f"{n:,}") for y, n in per_year.items()]
        )
    )
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
        st.error(escape(refused(exc)))  # the file's own name and headers in it: never Markdown
        link.stop()

if not prepared.ok:
    st.error(tr("import.problems", n=prepared.total_problems))
    show_problems(prepared.problems_frame())
    link.stop()

if prepared.notices:
    st.warning("\n".join([tr("import.notices"), *(f"- {escape(n)}" for n in prepared.notices)]))
done = prepared.summary()
st.success(
    tr("import.valid", years=", ".join(map(str, done["years"])), agencies=done["agencies"], rows=f"{done['rows']:,}")
)
st.dataframe(
    prepared.table.slice(0, 200).to_pandas(), hide_index=True, column_config=tables.columns(), placeholder=MISSING
)
replace = st.checkbox(tr("import.replace"), disabled=not allowed)
if st.button(tr("import.write"), disabled=not allowed, type="primary"):
    try:
        _, version = files.write(prepared, replace, upload.name)
    except DataError as exc:
        st.error(str(exc))
        link.stop()
    st.session_state["_imported"] = (prepared.rows_per_year(), cache.data_dir().name, version)
    st.rerun()  # the sidebar, drawn before this page, reads the new version on the next run
