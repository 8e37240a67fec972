"""Charts as images for the brief, drawn by Plotly's own exporter (kaleido 1.x, which finds Debian's
chromium by itself): the same figures the pages draw, so the paper and the screen agree.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator

from dashboard.errors import DataError

WIDTH, HEIGHT = 1000, 520  # CSS pixels: about an A4 page's text width at the brief's scale
SCALE = 3  # sharp on paper and on a projector


@contextlib.contextmanager
def server() -> Iterator[None]:
    """One browser for all of a brief's charts: starting one costs about 2 s, each image then
    about 0.2 s."""
    import kaleido

    try:
        kaleido.start_sync_server(silence_warnings=True)
    except Exception as exc:  # no browser on this machine, or it would not start
        raise DataError(f"charts cannot be drawn as images here ({type(exc).__name__}: {exc})") from None
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def png(fig, width: int = WIDTH, height: int | None = None) -> bytes:
    """A figure as PNG bytes, at the figure's own height unless given."""
    import plotly.io as pio

    height = height or int(fig.layout.height or HEIGHT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "kopts is ignored with a server": the server has them
        return pio.to_image(fig, format="png", width=width, height=height, scale=SCALE)
