"""Charts as images for the brief, drawn by Plotly's own renderer (kaleido 1.x, which finds Debian's
chromium by itself): the same figures the pages draw, so the paper and the screen agree.

The browser is an outside process that may be missing, may die at start or may hang, and kaleido's
own blocking helpers then wait for ever (the failure stays in their worker thread). So the images are
drawn in a thread of our own with a deadline: a brief is always made, without its charts when no
browser could draw them, and says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
import signal
import threading
import time
import warnings

WIDTH, HEIGHT = 1000, 520  # CSS pixels: about an A4 page's text width at the brief's scale
SCALE = 3  # sharp on paper and on a projector
START_SECONDS = 60.0  # starting chromium takes about 2 s; a busy machine is given far more
IMAGE_SECONDS = 30.0  # each image takes about 0.2 s


def draw(figures: dict[str, object], timeout: float | None = None) -> tuple[dict[str, bytes], str | None]:
    """Every figure as PNG bytes, drawn by one browser; ({}, why) when they could not be drawn in
    time. Never raises and never waits past the deadline."""
    if not figures:
        return {}, None
    deadline = timeout if timeout is not None else START_SECONDS + IMAGE_SECONDS * len(figures)
    answer: queue.Queue = queue.Queue(maxsize=1)
    started = time.monotonic()
    held: dict = {}  # the browser, so that one that hangs can be stopped from here

    def work() -> None:
        try:
            answer.put(asyncio.run(asyncio.wait_for(_draw_all(figures, held), deadline)))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller as the reason
            answer.put(exc)

    # A daemon thread: if the browser hangs past the deadline the process can still end.
    threading.Thread(target=work, name="brief-images", daemon=True).start()
    try:
        result = answer.get(timeout=deadline + 5)
    except queue.Empty:
        result = TimeoutError()
    if isinstance(result, BaseException):
        _stop(held.get("browser"))  # a browser that hung keeps running after its start was cancelled
        late = time.monotonic() - started >= deadline  # a cancelled start reports its own, later error
        return {}, _reason(TimeoutError() if late else result, deadline)
    return result, None


def _stop(browser) -> None:
    process = getattr(browser, "subprocess", None)
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)  # the browser runs in a process group of its own
    with contextlib.suppress(OSError):
        process.kill()


async def _draw_all(figures: dict[str, object], held: dict) -> dict[str, bytes]:
    import kaleido

    logging.getLogger("choreographer").setLevel(logging.CRITICAL)  # its own tracebacks on a failed start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        held["browser"] = browser = kaleido.Kaleido(n=1, timeout=IMAGE_SECONDS)
        async with browser:
            return {key: await browser.calc_fig(fig, opts=_opts(fig)) for key, fig in figures.items()}


def _opts(fig) -> dict:
    height = int(getattr(fig.layout, "height", None) or HEIGHT)
    return {"format": "png", "width": WIDTH, "height": height, "scale": SCALE}


def _reason(exc: BaseException, deadline: float) -> str:
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return f"the browser did not answer within {deadline:.0f} s"
    said = exc.args[0] if exc.args else ""
    said = said[0] if isinstance(said, tuple) and said else said  # choreographer gives a tuple of lines
    first = (str(said).strip().splitlines() or [""])[0]
    if type(exc).__name__ == "ChromeNotFoundError":
        first = "no chromium browser was found on this machine"
    return f"{first or type(exc).__name__}"[:200]
