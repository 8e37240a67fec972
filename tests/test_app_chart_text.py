"""Every chart has a text alternative (issue 19, point 13): a table under it, in an expander named
after the chart, that a screen reader reads as a table (st.table is HTML; a drawing is not)."""

from __future__ import annotations

import json

import pytest

from tests.test_app import figures, open_page

pytestmark = pytest.mark.browser  # AppTest runs the app's pages


@pytest.mark.parametrize(
    "lang,named,row,cell",
    [
        ("en", "As a table: Categories: base year against compare year", "Cat. 1 Leadership", "66.7%"),
        ("th", "ตารางของกราฟ: รายหมวด: ปีฐานเทียบกับปีที่เปรียบเทียบ", "หมวด 1 การนำองค์การ", "66.7%"),
    ],
)
def test_each_chart_on_the_overview_has_a_table(tiny_dir, monkeypatch, lang, named, row, cell):
    at = open_page("overview", tiny_dir, monkeypatch, lang=lang, base="2564", compare="2565")
    assert not at.exception
    assert len(at.expander) >= len(figures(at)) == 2
    labels = [e.label for e in at.expander]
    assert named in labels, labels
    table = at.expander[labels.index(named)].table[0].value
    # category 1 in 2565: agencies at 70, 90 and 40 -> (70 + 90 + 40) / 3 = 66.7
    assert table.loc[[i for i in table.index if i.startswith(row)][0]].iloc[1] == cell


@pytest.mark.parametrize(
    "lang,title", [("en", "Categories: base year against compare year"), ("th", "รายหมวด: ปีฐานเทียบกับปีที่เปรียบเทียบ")]
)
def test_a_charts_title_is_the_pages_heading_not_the_drawings(tiny_dir, monkeypatch, lang, title):
    """Plotly's title does not wrap (a long one ran off a phone) and its toolbar covered it: the page
    says it as a heading over the chart; the drawing has none, and no toolbar."""
    at = open_page("overview", tiny_dir, monkeypatch, lang=lang, base="2564", compare="2565")
    assert f"#### {title}" in [m.value for m in at.markdown]
    assert all(not (f["layout"].get("title") or {}).get("text") for f in figures(at))
    assert all(not json.loads(c.proto.config)["displayModeBar"] for c in at.get("plotly_chart"))
