"""Explore's largest download as the app makes it: the criterion rows of the data's last two years
as XLSX (672,000 rows at 8,000 agencies × 42 criteria), made on the page with its progress bar. What
the server keeps afterwards is its resident memory after the file is made less before, both after a
garbage collection: the made file's bytes (kept for the download) and whatever the writing left.

    python -m bench.download DIR   -> JSON on stdout
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path

from bench.pages import APP


def resident_mb() -> float:
    gc.collect()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS in /proc/self/status")


def main(folder: str) -> dict:
    os.environ["PMQA_DATA"] = folder
    from streamlit.testing.v1 import AppTest

    from dashboard.app import files

    files.MADE_FIRST_ROWS = 0  # the way a large XLSX is made, whatever this scale's size

    at = AppTest.from_file(APP, default_timeout=600)
    at.switch_page("app_pages/explore.py")
    at.query_params["lang"] = "en"
    at.run()
    years = at.multiselect(key="years").options[-2:]  # the latest two: the list runs oldest first
    at.multiselect(key="years").set_value(years).run()
    at.radio(key="level").set_value("criterion").run()
    make = [b for b in at.button if b.label == "Make the XLSX file"]
    counted = [c.value for c in at.caption if c.value.endswith("agencies") and " rows · " in c.value]
    if at.exception or not make:
        raise SystemExit(f"explore offers no XLSX to make: {at.exception}")
    before = resident_mb()
    start = time.perf_counter()
    make[0].click().run()
    seconds = time.perf_counter() - start
    made = at.session_state["made_export"][1] if "made_export" in at.session_state else None
    if at.exception or made is None:
        raise SystemExit(f"the XLSX was not made: {at.exception}")
    after = resident_mb()
    rows = int(counted[0].split(" rows")[0].replace(",", "")) if counted else None
    return {
        "rows": rows,
        "years": years,
        "seconds": seconds,
        "before_mb": before,
        "after_mb": after,
        "file_mb": len(made) / 2**20,
        "csv_kept_mb": csv_kept(folder, years),
    }


def csv_kept(folder: str, years: list[str]) -> float:
    """What the server keeps after a CSV download of the same rows, made by the download's own function
    in the same process (the store's DuckDB instance is the app's: one per kept file in a process)."""
    from dashboard.app import files
    from dashboard.data import access, db
    from dashboard.outputs import export

    store = db.Store(Path(folder), access.operator())
    filters = db.Filters(years=tuple(int(y.split()[0]) for y in years))  # "2565 (2022)"
    about = export.describe(filters, "criterion", store.version_label, store.synthetic)
    before = resident_mb()
    made = files.export_bytes(store, "criterion", filters, ".csv", about, {})
    return resident_mb() - before - len(made) / 2**20  # the file's bytes, held for the download, left out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
