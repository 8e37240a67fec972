"""The reader's language, and the words of the pages in it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.views import formatting as fmt
from dashboard.views import i18n


def code() -> str:
    """th or en: the sidebar's choice (or the link's)."""
    value = st.session_state.get("lang") or i18n.DEFAULT
    return value if value in i18n.LANGUAGES else i18n.DEFAULT


def tr(key: str, **values) -> str:
    return i18n.t(key, code(), **values)


def year(y: int) -> str:
    return i18n.year_label(y, code())


def category(c: int) -> str:
    return f"{tr('category.short', n=int(c))} {i18n.category_name(c, code())}"


def labels(options, label) -> Callable:
    """A widget's format_func as a lookup made now, in the current language: Streamlit (and
    AppTest) may call format functions outside the session, where the language is unknown."""
    table = {option: label(option) for option in options}
    return lambda option: table.get(option, str(option))


def group_name(row) -> str:
    """A ministry or cluster in the reader's language, falling back to Thai."""
    return row.agency_group_en if code() == "en" and isinstance(row.agency_group_en, str) else row.agency_group_th


def escape(text: str) -> str:
    """Text from the data shown through Markdown: no character in a name can become markup."""
    return fmt.markdown_text(text)
