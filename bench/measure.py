"""Run a module as `python -m MODULE ARGS` and write its peak resident memory (VmHWM, kB) to a file.

A child's own rusage on Linux carries over the high-water mark of the process it was forked from,
so the benchmark, itself large, cannot read a small child's peak that way; VmHWM after exec is the
child's alone.

    python -m bench.measure OUT_FILE MODULE [ARGS...]
"""

import atexit
import runpy
import sys
from pathlib import Path


def _write_peak(path: str) -> None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            Path(path).write_text(line.split()[1])


if __name__ == "__main__":
    out, module, *args = sys.argv[1:]
    atexit.register(_write_peak, out)
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
