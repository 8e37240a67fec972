"""Property: whatever is done to a valid spreadsheet, `import` either imports it cleanly or refuses
it cleanly, with the store unchanged; never a traceback."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data import importer, validation
from dashboard.errors import DataError
from tests.conftest import folder_checksum, store_rows, write_tiny_store
from tests.test_import import LONG_HEADER, LONG_ROWS

CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "-", "๑๒", "1,5", "1,234", "-4", "1e9", "nan", "=1+1", "8.1", "2021", "\x00", "กรม", "province"]
    ),
)


@st.composite
def corrupted(draw):
    rows = [list(LONG_HEADER)] + [list(r) for r in LONG_ROWS]
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["cell", "drop_cell", "drop_row", "dup_row", "header"]))
        r = draw(st.integers(0, len(rows) - 1))
        if action == "cell" and rows[r]:
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(CELLS)
        elif action == "drop_cell" and rows[r]:
            rows[r].pop(draw(st.integers(0, len(rows[r]) - 1)))
        elif action == "drop_row" and len(rows) > 1:
            rows.pop(r)
        elif action == "dup_row":
            rows.append(list(rows[r]))
        elif action == "header":
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(CELLS)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp874"]))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return write_tiny_store(tmp_path_factory.mktemp("pristine") / "store")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=corrupted())
def test_import_is_all_or_nothing(pristine, content):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(pristine, Path(tmp) / "store"))
        source = Path(tmp) / "input.csv"
        source.write_bytes(content)
        before = folder_checksum(folder)
        try:
            prepared = importer.prepare([source], folder)
            if prepared.ok:
                importer.write(prepared, folder, replace=True)
                assert validation.validate(folder).ok
                assert (
                    len(store_rows(folder))
                    == len(store_rows(pristine, None))
                    - sum(1 for r in store_rows(pristine) if r[0] in prepared.summary()["years"])
                    + prepared.table.num_rows
                )  # the imported years replaced whole, never doubled
                return
            assert prepared.problems and all(str(p) for p in prepared.problems)
        except DataError as exc:
            assert str(exc)
        assert folder_checksum(folder) == before
        shutil.rmtree(folder)
