"""The data the pages read, opened once per data version and kept per person.

Caching is keyed on Store.key: the data folder's fingerprint (files, sizes, modification times, or a
store's version) and the person, so a rerun reuses what was computed, a changed folder is picked up
without a restart, and no one is handed another person's numbers. What is cached is a views section
(page → section → named query), never a query of the app's own.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard.app import signin
from dashboard.app.language import tr
from dashboard.data import access, db
from dashboard.errors import DataError


def data_dir() -> Path:
    return Path(os.environ.get("PMQA_DATA") or db.SAMPLE_DIR).resolve()


def data_version() -> int | None:
    """The store version `run --version N` asked for; None reads the latest."""
    value = os.environ.get("PMQA_VERSION")
    return int(value) if value else None


@st.cache_resource(max_entries=4, show_spinner=False)
def _open(folder: str, fingerprint: tuple) -> db.Store:
    # Shared by every session as nobody: only `.scoped(person)` shows a number. A fingerprint starts
    # with the version it reads.
    return db.Store(Path(folder), access.NOBODY, fingerprint[0])


def _reopen(key: tuple) -> db.Store:
    """The data a cache key names (Store.key): the data's version, as the person of the key sees it."""
    folder, fingerprint, person = key
    return _open(folder, fingerprint).scoped(person)


def load() -> db.Store:
    """The data folder as the signed-in person may see it, or a clear message and a stopped page
    when it cannot be loaded. The entry file calls this once per run; the rest of the run reuses it."""
    folder = data_dir()
    try:
        with st.spinner(tr("loading")):
            loaded = _open(str(folder), db.fingerprint(folder, data_version())).scoped(signin.person())
    except DataError as exc:
        st.error(tr("error.data", folder=folder))
        st.code(str(exc), language=None)
        st.stop()
    st.session_state["_data"] = loaded
    return loaded


def current() -> db.Store:
    """This run's data, without looking at the folder again for every section."""
    return st.session_state.get("_data") or load()


def _name(section: Callable) -> str:
    return f"{section.__module__}.{section.__qualname__}"


@st.cache_data(max_entries=512, show_spinner=False)
def _section(key: tuple, name: str, _fn: Callable, args: tuple, kwargs: tuple):
    return _fn(_reopen(key), *args, **dict(kwargs))


def section(fn: Callable, *args, **kwargs):
    """A views section's result for this run's data and person, computed once per data version,
    person and arguments (hashable: years, filters, codes, the language)."""
    return _section(current().key, _name(fn), fn, args, tuple(sorted(kwargs.items())))


# A resource, not data: the cached result is handed out as it is, not copied on every rerun (a copy
# of 8,000 agency labels was most of a warm rerun). Callers only read it.
@st.cache_resource(max_entries=32, show_spinner=False)
def _shared(key: tuple, name: str, _fn: Callable, args: tuple):
    return _fn(_reopen(key), *args)


def shared(fn: Callable, *args):
    """Like `section`, for a large result that callers only read: kept, not copied per rerun."""
    return _shared(current().key, _name(fn), fn, args)


@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(data_key: tuple, key: tuple, _build: Callable):
    return _build()


def figure(key: tuple, build: Callable):
    """A chart built once per data version and `key` (everything the chart shows: its name, the
    filters, years, language), then reused: building a Plotly figure is most of a warm rerun.
    Kept as a resource, not copied; nothing changes a figure after it is built."""
    return _figure(current().key, key, build)
