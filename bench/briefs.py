"""The sample's brief made as the app makes it: in one process, each format twice. The first brief
of a session starts the browser; every later one finds it warm (dashboard/outputs/images.py).

    python -m bench.briefs   -> JSON on stdout: {format: {"first_s": …, "again_s": …}}
"""

from __future__ import annotations

import json
import os
import tempfile
import time

from dashboard.data import access, db
from dashboard.outputs import brief, pack


def main() -> dict:
    os.environ.setdefault("PMQA_AUDIT_DIR", tempfile.mkdtemp(prefix="pmqa-bench-audit-"))
    store = db.Store(db.SAMPLE_DIR, access.operator())
    selection = brief.Selection(2564, 2565)
    result = {}
    for fmt in (".pdf", ".pptx", ".xlsx"):
        times = []
        for _ in range(2):
            start = time.perf_counter()
            pack.to_bytes(store, selection, fmt, via="bench")
            times.append(time.perf_counter() - start)
        result[fmt] = {"first_s": times[0], "again_s": times[1]}
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
