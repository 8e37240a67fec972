"""Key-number cards in a row that becomes a grid of two on a phone.

st.columns stacks its columns one under another below 640 px: the Overview's seven cards then took
about a screen and a half before the first chart. Streamlit has no layout for "two per row on a
narrow screen", so a row of cards is a horizontal container given a key (Streamlit names it
`st-key-<key>` in the page) and a short style lays that out as two columns there, the labels
wrapping (at a card's half width they would otherwise be cut off with an ellipsis); a row's odd last
card takes the whole line, its number ("313.2 / 500") being too wide for half.
"""

from __future__ import annotations

import streamlit as st

STYLE = """<style>
%(values)s { padding-bottom: 0.3em; margin-bottom: -0.3em; }
@media (max-width: 640px) {
  %(rows)s { display: grid !important; grid-template-columns: repeat(2, minmax(0, 1fr)); }
  %(odd)s { grid-column: 1 / -1; }
  %(labels)s { white-space: normal !important; overflow: visible !important; }
}
</style>"""
KEYS = ("key_numbers", "level_cards", "agency_cards")


def row(key: str):
    """A row of cards (st.metric on it): side by side on a laptop, two to a line on a phone."""
    assert key in KEYS, key  # the style names each row
    return st.container(horizontal=True, key=key)


def style() -> None:
    """The rows' phone layout; placed once per page that has cards."""
    rows = ", ".join(f".st-key-{k}" for k in KEYS)
    odd = ", ".join(f".st-key-{k} > :last-child:nth-child(odd)" for k in KEYS)  # a row's odd one out: whole
    labels = ", ".join(f".st-key-{k} [data-testid=stMetricLabel] *" for k in KEYS)
    # A value's box clips at its line, and Thai letters such as ฐ reach below it ('พื้นฐาน' lost its
    # tail): the clip is moved down by a padding its negative margin gives back, so nothing else moves.
    values = ", ".join(f".st-key-{k} [data-testid=stMetricValue] > div" for k in KEYS)
    st.html(STYLE % {"rows": rows, "odd": odd, "labels": labels, "values": values})
