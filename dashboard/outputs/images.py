"""Charts as images for the brief, drawn by Plotly's own renderer (kaleido 1.x, which finds Debian's
chromium by itself): the same figures the pages draw, so the paper and the screen agree.

Starting the browser is most of a brief's time (about 2 s of its 3), so one browser is kept open for
the process's life on an event loop of its own thread: the app's second brief, and every brief after
it, starts none; the command line starts it at once (`warm_up`), while it reads the data.

The browser is an outside process that may be missing, may die at start or may hang, and kaleido's
own blocking helpers then wait for ever. So every wait here has a deadline: a brief is always made,
without its charts when no browser could draw them, and says so; a browser that failed or hung is
stopped, and the next brief starts a new one.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import os
import signal
import threading
import warnings

WIDTH, HEIGHT = 1000, 520  # CSS pixels: about an A4 page's text width at the brief's scale
SCALE = 2  # 2,000 pixels across A4's text: 300 dpi, sharp on paper and on a projector
START_SECONDS = 60.0  # starting chromium takes about 2 s; a busy machine is given far more
IMAGE_SECONDS = 30.0  # each image takes about 0.3 s


class _Browser:
    """One kaleido browser, opened in the background on an event loop of its own thread."""

    def __init__(self) -> None:
        self.path = os.environ.get("BROWSER_PATH")  # the browser the settings named when it started
        self.held: dict = {}
        self.loop = asyncio.new_event_loop()
        # A daemon thread: if the browser hangs the process can still end.
        threading.Thread(target=self.loop.run_forever, name="brief-images", daemon=True).start()
        self.opened = asyncio.run_coroutine_threadsafe(self._open(), self.loop)

    async def _open(self):
        """The open browser, or None with the reason kept: a start that fails (or is stopped, as the
        process ends) is answered to the brief that waits for it, never printed by asyncio."""
        import kaleido

        logging.getLogger("choreographer").setLevel(logging.CRITICAL)  # its own tracebacks on a failed start
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.held["browser"] = browser = kaleido.Kaleido(n=1, timeout=IMAGE_SECONDS)
                await browser.open()
        except BaseException as exc:  # noqa: BLE001 - kept for the brief that waits
            self.held["failure"] = exc
            return None
        return browser

    def working(self) -> bool:
        """Started, and not failed: a brief drawn now starts no browser."""
        return self.opened.done() and not self.opened.cancelled() and self.opened.result() is not None

    async def _draw(self, figures: dict[str, object]) -> dict[str, bytes]:
        browser = await asyncio.wrap_future(self.opened)
        if browser is None:
            raise self.held["failure"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return {key: await browser.calc_fig(fig, opts=_opts(fig)) for key, fig in figures.items()}

    def draw(self, figures: dict[str, object], seconds: float) -> dict[str, bytes]:
        """The figures as PNG bytes, or TimeoutError / the browser's own error after `seconds`."""
        return asyncio.run_coroutine_threadsafe(self._draw(figures), self.loop).result(timeout=seconds)

    def stop(self) -> None:
        """Kill the browser (one that hangs never closes) and end the loop's thread."""
        process = getattr(self.held.get("browser"), "subprocess", None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)  # the browser runs in a process group of its own
            with contextlib.suppress(OSError):
                process.kill()
            with contextlib.suppress(Exception):
                process.wait(timeout=5)  # gone before its profile folder is removed
        self.loop.call_soon_threadsafe(self.loop.stop)

    def close(self, seconds: float = 5.0) -> None:
        """Close the browser as kaleido does (it removes its own profile folder), as the process ends;
        one that does not close in time is killed."""
        try:
            browser = self.opened.result(timeout=seconds)
            if browser is not None:
                asyncio.run_coroutine_threadsafe(browser.close(), self.loop).result(timeout=seconds)
        except BaseException:  # noqa: BLE001, S110 - killed below, whatever the reason
            pass
        self.stop()


_lock = threading.Lock()
_browser: _Browser | None = None


def warm_up() -> None:
    """Start the browser now, in the background, for a brief about to be made: never waits."""
    _current()


def _current() -> _Browser:
    global _browser
    with _lock:
        if _browser is not None and _browser.path != os.environ.get("BROWSER_PATH"):
            _browser.stop()  # the settings name another browser now
            _browser = None
        if _browser is None:
            _browser = _Browser()
        return _browser


@atexit.register
def _shutdown() -> None:
    """No browser outlives the process: its loop's thread is a daemon, which never closes it."""
    if _browser is not None:
        _browser.close()


def _forget(browser: _Browser) -> None:
    global _browser
    browser.stop()
    with _lock:
        if _browser is browser:
            _browser = None


def draw(figures: dict[str, object], timeout: float | None = None) -> tuple[dict[str, bytes], str | None]:
    """Every figure as PNG bytes, drawn by the kept browser (started now if it is not running);
    ({}, why) when they could not be drawn in time. Never raises and never waits past the deadline."""
    if not figures:
        return {}, None
    browser = _current()
    warm = browser.working()
    try:
        return _draw_with(browser, figures, timeout, warm), None
    except BaseException as exc:  # noqa: BLE001 - a dead, missing or hung browser: the reason is the answer
        _forget(browser)
        if not warm or isinstance(exc, concurrent.futures.TimeoutError | TimeoutError):
            return {}, _reason(exc, _deadline(timeout, False, len(figures)))
    # A kept browser that died since the last brief (closed by the system, crashed): one new one.
    fresh = _current()
    try:
        return _draw_with(fresh, figures, timeout, False), None
    except BaseException as exc:  # noqa: BLE001
        _forget(fresh)
        return {}, _reason(exc, _deadline(timeout, False, len(figures)))


def _deadline(timeout: float | None, warm: bool, n: int) -> float:
    return timeout if timeout is not None else (0 if warm else START_SECONDS) + IMAGE_SECONDS * n


def _draw_with(browser: _Browser, figures: dict[str, object], timeout: float | None, warm: bool) -> dict[str, bytes]:
    return browser.draw(figures, _deadline(timeout, warm, len(figures)))


def _opts(fig) -> dict:
    height = int(getattr(fig.layout, "height", None) or HEIGHT)
    return {"format": "png", "width": WIDTH, "height": height, "scale": SCALE}


def _reason(exc: BaseException, deadline: float) -> str:
    if isinstance(exc, TimeoutError | asyncio.TimeoutError | concurrent.futures.TimeoutError):
        return f"the browser did not answer within {deadline:.0f} s"
    said = exc.args[0] if exc.args else ""
    said = said[0] if isinstance(said, tuple) and said else said  # choreographer gives a tuple of lines
    first = (str(said).strip().splitlines() or [""])[0]
    if type(exc).__name__ == "ChromeNotFoundError":
        first = "no chromium browser was found on this machine"
    return f"{first or type(exc).__name__}"[:200]
