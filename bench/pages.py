"""Each page's rerun through Streamlit's AppTest on one data folder, warm and with the data cache
cleared (what a filter change costs), in a process of its own so its peak memory is the app's.

    python -m bench.pages DIR REPEAT   -> JSON on stdout
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

PAGES = ["overview", "trends", "strengths", "criteria", "scenarios", "agency", "explore", "quality", "import_data"]
APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app" / "streamlit_app.py")


def scenario_link() -> dict[str, str]:
    """The Scenarios page with a proposal in its link (as a person's would be): 4.1.1 dropped, every
    7.x maximum doubled, the advance cut-off lowered; the same on the sample and the generated data,
    which share the sample's criteria."""
    from dashboard.data import sample

    criteria = {
        code: (2 * top if code.startswith("7.") else top) for _, code, top in sample.criteria() if code != "4.1.1"
    }
    return {"a": json.dumps({"name_en": "bench", "cutoffs": {"advance": 60}, "criteria": criteria})}


def median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main(folder: str, repeat: int) -> dict:
    os.environ["PMQA_DATA"] = folder
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    result = {}
    start = time.perf_counter()
    first = AppTest.from_file(APP, default_timeout=600)
    first.run()  # opens the data: the cost of the first page after `run`
    result["first_page_ms"] = (time.perf_counter() - start) * 1e3
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=600)
        at.switch_page(f"app_pages/{page}.py")
        for key, value in (scenario_link() if page == "scenarios" else {}).items():
            at.query_params[key] = value
        at.run()
        if at.exception:
            raise SystemExit(f"{page}: {at.exception[0].value}")

        def cold(at=at):
            st.cache_data.clear()
            at.run()

        result[page] = {"warm_ms": median_ms(at.run, repeat), "cold_ms": median_ms(cold, repeat)}
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]))))
